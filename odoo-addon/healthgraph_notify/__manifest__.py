# The version has no Odoo series prefix, so Odoo prefixes its own: one addon for 17, 18 and 19.
{
    "name": "Healthcare graph notifications",
    "version": "1.0.0",
    "summary": "Tells the healthcare graph when a customer invoice changes, a customer payment is registered or a graph task is done",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "depends": ["account", "mail"],
    "data": ["data/mail_activity_type.xml"],
    "installable": True,
    "application": False,
}
