from odoo import models

# The fields whose change the graph cares about. payment_state and amount_residual are computed and
# stored without write(): a payment reaches the graph through account.payment instead.
WATCHED_FIELDS = {"state", "invoice_date_due", "ref"}


class AccountMove(models.Model):
    _inherit = "account.move"

    def _healthgraph_notify(self):
        invoices = self.filtered(lambda move: move.is_sale_document(include_receipts=False))
        self.env["healthgraph.gateway"].notify_after_commit("account.move", invoices.ids)

    def write(self, vals):
        result = super().write(vals)
        if WATCHED_FIELDS.intersection(vals):
            self._healthgraph_notify()
        return result

    def action_post(self):
        result = super().action_post()
        self._healthgraph_notify()
        return result
