from odoo import models

GRAPH_TASK = "healthgraph_notify.mail_activity_type_graph_task"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Mark Done, with or without feedback, from the chatter, the activity view or the API.

        Odoo 17 posts one message per activity (in the order of _classify_by_model), then deletes the
        activities (or archives them, for a type that keeps done ones). The graph is told of its own
        tasks after commit, each with the message that holds what the person decided.
        """
        graph_task = self.env.ref(GRAPH_TASK, raise_if_not_found=False)
        in_order = [
            (activity.id, bool(graph_task) and activity.activity_type_id == graph_task)
            for data in self._classify_by_model().values()
            for activity in data["activities"]
        ]
        messages, next_activities = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        done = [(activity_id, message.id) for (activity_id, is_task), message in zip(in_order, messages) if is_task]
        self.env["healthgraph.gateway"].notify_after_commit("mail.activity", done)
        return messages, next_activities
