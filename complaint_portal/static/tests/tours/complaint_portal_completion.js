/** @odoo-module **/

import { registry } from "@web/core/registry";
import { choosePhoto } from "./complaint_portal_tour_utils";

registry.category("web_tour.tours").add("complaint_portal_completion", {
    steps: () => [
        {
            content: "The case waits for the customer",
            trigger: ".o_complaint_state[data-state=waiting]",
        },
        {
            content: "The portal says what is missing",
            trigger: ".o_complaint_completion_request:contains('serial plate')",
        },
        {
            content: "Answer",
            trigger: ".o_complaint_completion_form textarea[name=message]",
            run: "edit The serial number is EM200-0001, photo attached.",
        },
        {
            content: "Attach the photo of the plate",
            trigger: ".o_complaint_completion_form input[name=attachments]",
            async run(helpers) {
                await choosePhoto(helpers.anchor, "serial-plate.png");
            },
        },
        {
            content: "Send it back",
            trigger: "button.o_complaint_completion_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanks are shown",
            trigger: ".o_complaint_completed",
        },
        {
            content: "The case is back with staff",
            trigger: ".o_complaint_state[data-state=in_progress]",
        },
        {
            content: "Nothing more is asked",
            trigger: "body:not(:has(.o_complaint_completion_form))",
        },
        {
            content: "The photo is among the files of the claim",
            trigger: "#complaint_attachments a:contains('serial-plate.png')",
        },
    ],
});
