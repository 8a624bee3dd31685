import { registry } from "@web/core/registry";

const TEMPLATES = ".mail-composer-template-dropdown.popover .o-dropdown-item";

/**
 * A handler answers a customer with a template of the knowledge base, then
 * rejects the claim, reading the message as the customer will before sending.
 * Data come from the python test that starts it.
 */
registry.category("web_tour.tours").add("complaint_workflow_handler_reply_decide", {
    steps: () => [
        {
            content: "The case is open with its chatter",
            trigger: ".o_form_view .o-mail-Chatter",
        },
        {
            content: "Write to the customer",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Open the full composer",
            trigger: "button[aria-label='Full composer']",
            run: "click",
        },
        {
            content: "Open the templates",
            trigger: ".modal .mail-composer-template-dropdown-btn",
            run: "click",
        },
        {
            content: "The template of this type and reason comes first",
            trigger: `${TEMPLATES}:contains('Damaged in transport')`,
            run() {
                const first = document.querySelector(TEMPLATES);
                if (!first.textContent.includes("Damaged in transport")) {
                    throw new Error(`First template offered: ${first.textContent}`);
                }
                const names = [...document.querySelectorAll(TEMPLATES)].map((el) => el.textContent);
                if (names.some((name) => name.includes("Warranty"))) {
                    throw new Error(`A template of another type is offered: ${names}`);
                }
            },
        },
        {
            content: "Pick it",
            trigger: `${TEMPLATES}:contains('Damaged in transport')`,
            run: "click",
        },
        {
            content: "The message starts from the template",
            trigger: ".modal .o_field_html[name=body]:contains('Damaged in transport')",
        },
        {
            content: "Send it",
            trigger: ".modal .o_mail_send",
            run: "click",
        },
        {
            content: "The reply is in the chatter",
            trigger: ".o-mail-Message-body:contains('Damaged in transport')",
        },
        {
            content: "Decide",
            trigger: ".o_form_view button[name=action_open_decide_wizard]",
            run: "click",
        },
        {
            content: "Reject the claim",
            trigger: ".modal .o_field_widget[name=decision] input[data-value=rejected]",
            run: "click",
        },
        {
            content: "The message starts from the rejection template",
            trigger: ".modal .o_complaint_preview_body:contains('could not accept')",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=decision_note] .odoo-editor-editable",
            run: "editor The heating element is covered in limescale.",
        },
        {
            content: "Leave the editor",
            trigger: ".modal .o_complaint_decide_preview h5",
            run: "click",
        },
        {
            content: "The customer will read the reason",
            trigger: ".modal .o_complaint_preview_body:contains('limescale')",
        },
        {
            content: "Send the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The decision is in the chatter",
            trigger: ".o-mail-Message-body:contains('limescale')",
        },
    ],
});
