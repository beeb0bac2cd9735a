"""Calls the healthcare graph's report mutations after the transaction that made the change commits.

The calls carry record ids only: the graph reads the records again from Odoo and trusts nothing else.
A done activity is gone from Odoo by then, so its report carries the id of the message Odoo posted for it.
"""
import logging
import time

import requests

from odoo import api, models

_logger = logging.getLogger(__name__)

PARAMETER = "healthgraph_notify.%s"
# The calls run after the commit, inside the request of the user who made the change: keep them short.
TIMEOUT_SECONDS = 5
# A token is renewed this long before it expires.
EXPIRY_MARGIN_SECONDS = 30

# Per model: the mutation, and its variables for one reported key (a record id, or for a done
# activity the pair of its id and its message's id).
MUTATIONS = {
    "account.move": (
        "mutation($id: Int!) { reportOdooInvoiceChanged(odooInvoiceId: $id) { id } }",
        lambda record_id: {"id": record_id},
    ),
    "account.payment": (
        "mutation($id: Int!) { reportOdooPaymentRegistered(odooPaymentId: $id) { id } }",
        lambda record_id: {"id": record_id},
    ),
    "mail.activity": (
        "mutation($activity: Int!, $message: Int!) {"
        " reportOdooActivityDone(odooActivityId: $activity, odooMessageId: $message) { odooActivityId } }",
        lambda done: {"activity": done[0], "message": done[1]},
    ),
}

# Per worker process: (token_url, client_id) -> (access token, expiry as a Unix time).
_tokens = {}


class HealthgraphGateway(models.AbstractModel):
    _name = "healthgraph.gateway"
    _description = "Healthcare graph gateway"

    @api.model
    def notify_after_commit(self, model, keys):
        """Reports the records (ids, or what MUTATIONS takes for the model) to the graph once the
        transaction commits, each once; nothing if it rolls back."""
        if not keys:
            return
        pending = self.env.cr.postcommit.data.setdefault("healthgraph_notify", {})
        if not pending:
            settings = self._settings()
            if not settings:
                return
            # The callback runs after the cursor is done with: it must not touch self.env.
            self.env.cr.postcommit.add(lambda: _report(settings, pending))
        pending.setdefault(model, set()).update(keys)

    @api.model
    def _settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        keys = ("gateway_url", "access_token", "token_url", "client_id", "client_secret", "scope")
        settings = {key: get(PARAMETER % key) or "" for key in keys}
        has_credentials = settings["access_token"] or (settings["token_url"] and settings["client_id"] and settings["client_secret"])
        if not (settings["gateway_url"] and has_credentials):
            _logger.debug("healthgraph_notify is not configured; the graph is not told")
            return None
        return settings


def _report(settings, pending):
    """Never raises: the change is committed already. A lost call is found by the graph's reconciliation."""
    try:
        headers = {"Authorization": "Bearer %s" % _access_token(settings)}
    except (requests.RequestException, KeyError, ValueError) as error:
        _logger.warning("healthgraph_notify: no access token (%s)", type(error).__name__)
        return
    for model, keys in pending.items():
        mutation, variables = MUTATIONS[model]
        for key in sorted(keys):
            _call(settings["gateway_url"], headers, mutation, variables(key), key)


def _call(gateway_url, headers, mutation, variables, record_id):
    try:
        response = requests.post(
            gateway_url,
            json={"query": mutation, "variables": variables},
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        errors = response.json().get("errors")
        if errors:
            codes = [error.get("extensions", {}).get("code") for error in errors]
            _logger.warning("healthgraph_notify: the graph refused record %s (%s)", record_id, codes)
    except (requests.RequestException, ValueError) as error:
        _logger.warning("healthgraph_notify: the graph was not told of record %s (%s)", record_id, type(error).__name__)


def _access_token(settings):
    """A fixed token when one is set (the embedded issuer's `npm run token -- --role odoo_service`), else OAuth client credentials."""
    if settings["access_token"]:
        return settings["access_token"]
    key = (settings["token_url"], settings["client_id"])
    cached = _tokens.get(key)
    if cached and cached[1] > time.time() + EXPIRY_MARGIN_SECONDS:
        return cached[0]
    response = requests.post(
        settings["token_url"],
        data={"grant_type": "client_credentials", "scope": settings["scope"]},
        auth=(settings["client_id"], settings["client_secret"]),
        timeout=TIMEOUT_SECONDS,
    )
    response.raise_for_status()
    body = response.json()
    _tokens[key] = (body["access_token"], time.time() + int(body.get("expires_in", 300)))
    return body["access_token"]
