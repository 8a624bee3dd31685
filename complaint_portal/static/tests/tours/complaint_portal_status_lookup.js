/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("complaint_portal_status_lookup", {
    steps: () => [
        {
            content: "On the public form, choose a return",
            trigger: ".o_complaint_public_form select[name=type_id]",
            run: "selectByLabel Return",
        },
        {
            content: "What to photograph for a return is shown",
            trigger: ".o_complaint_photo_type:not(.d-none):contains('shipping label')",
        },
        {
            content: "The instructions of a warranty claim are hidden",
            trigger: "body:not(:has(.o_complaint_photo_type:not(.d-none):contains('serial-number plate')))",
        },
        {
            content: "The claim was filed already: check its status instead",
            trigger: ".o_complaint_public_status_hint a[href='/complaint/status']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Enter the number of the claim",
            trigger: ".o_complaint_status_form input[name=number]",
            run: "edit RK/2099/TOUR",
        },
        {
            content: "Enter the e-mail address given with the claim",
            trigger: ".o_complaint_status_form input[name=email]",
            run: "edit Jan@Kowalski.example",
        },
        {
            content: "Ask for the link",
            trigger: "button.o_complaint_status_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says the same thing whether the claim was found or not",
            trigger: ".o_complaint_status_sent:contains('If the number and address match a claim')",
        },
    ],
});
