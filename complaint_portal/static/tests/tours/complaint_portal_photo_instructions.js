/** @odoo-module **/

import { registry } from "@web/core/registry";

const SHOWN = ".o_complaint_photo_type:not(.d-none)";

registry.category("web_tour.tours").add("complaint_portal_photo_instructions", {
    steps: () => [
        {
            content: "While no kind of claim is chosen, each kind says what to photograph",
            trigger: `${SHOWN}:contains('Warranty Claim') .o_complaint_photo_text:contains('serial-number plate')`,
        },
        {
            content: "Choose a return",
            trigger: "select[name=type_id]",
            run: "selectByLabel Return",
        },
        {
            content: "What to photograph for a return is shown",
            trigger: `${SHOWN} .o_complaint_photo_text:contains('shipping label')`,
        },
        {
            content: "The instructions of a warranty claim are hidden",
            trigger: `body:not(:has(${SHOWN}:contains('serial-number plate')))`,
        },
        {
            content: "Choose a warranty claim instead",
            trigger: "select[name=type_id]",
            run: "selectByLabel Warranty Claim",
        },
        {
            content: "What to photograph for a warranty claim is shown, with its example",
            trigger: `${SHOWN}:contains('serial-number plate') img.o_complaint_photo_example`,
        },
        {
            content: "The instructions of a return are hidden",
            trigger: `body:not(:has(${SHOWN}:contains('shipping label')))`,
        },
    ],
});
