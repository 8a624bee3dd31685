/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("complaint_portal_waiting_notice", {
    steps: () => [
        {
            content: "The portal home says one claim waits for the customer",
            trigger:
                "a.o_complaint_waiting_entry:contains('Claims waiting for your answer'):has([data-placeholder_count]:contains('1'))",
        },
        {
            content: "Open the claims waiting",
            trigger: "a.o_complaint_waiting_entry",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim says it waits for the customer",
            trigger: ".o_complaint_row .o_complaint_state[data-actor=customer]:contains('Waiting for you')",
        },
        {
            content: "Only the claims waiting are listed",
            trigger: "body:not(:has(.o_complaint_state[data-actor=company]))",
        },
        {
            content: "Open it",
            trigger: ".o_complaint_row a.o_complaint_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its page says who acts next",
            trigger: ".o_complaint_state[data-actor=customer]:contains('Waiting for you')",
        },
        {
            content: "and what is missing",
            trigger: "#complaint_completion .o_complaint_completion_request:contains('serial plate')",
        },
    ],
});
