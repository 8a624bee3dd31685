/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("complaint_portal_status_lookup", {
    steps: () => [
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
