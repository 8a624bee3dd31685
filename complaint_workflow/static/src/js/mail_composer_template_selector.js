import { patch } from "@web/core/utils/patch";
import { MailComposerTemplateSelector } from "@mail/core/web/mail_composer_template_selector";

/**
 * On a complaint case, the composer offers the reply templates that fit the
 * case (type, reason, customer language) first, and leaves out those kept
 * for other cases.
 */
patch(MailComposerTemplateSelector.prototype, {
    async fetchTemplates() {
        const data = this.props.record.data;
        const resIds = JSON.parse(data.res_ids || "[]");
        if (data.render_model !== "complaint.case" || resIds.length !== 1) {
            return super.fetchTemplates(...arguments);
        }
        this.state.templates ||= [];
        this.state.templates = await this.orm.call(
            "mail.template",
            "complaint_get_composer_templates",
            [resIds[0]],
            { limit: this.limit }
        );
    },
});
