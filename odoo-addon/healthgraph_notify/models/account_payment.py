from odoo import models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        """Register Payment (the wizard) and a payment confirmed by hand both post here."""
        result = super().action_post()
        received = self.filtered(lambda payment: payment.payment_type == "inbound" and payment.partner_type == "customer")
        self.env["healthgraph.gateway"].notify_after_commit("account.payment", received.ids)
        return result
