/** @odoo-module **/

import { registry } from "@web/core/registry";
import { choosePhoto } from "./complaint_portal_tour_utils";

registry.category("web_tour.tours").add("complaint_portal_file_claim", {
    steps: () => [
        {
            content: "Report a problem from the invoice",
            trigger: "a.o_complaint_report_problem",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The items of the invoice are offered with what can still be claimed",
            trigger: ".o_complaint_lines tr:contains('Descaling Tablets') input.o_complaint_qty[max='4.0']",
        },
        {
            content: "No serial field for an item that is not claimed",
            trigger: ".o_complaint_lines tr:contains('Espresso Machine') input.o_complaint_serial.d-none:not(:visible)",
        },
        {
            content: "Claim two boxes of tablets",
            trigger: ".o_complaint_lines tr:contains('Descaling Tablets') input.o_complaint_qty",
            run: "edit 2",
        },
        {
            content: "Claim the espresso machine too",
            trigger: ".o_complaint_lines tr:contains('Espresso Machine') input.o_complaint_qty",
            run: "edit 1",
        },
        {
            content: "Its serial number is now asked for",
            trigger: ".o_complaint_lines tr:contains('Espresso Machine') input.o_complaint_serial:not(.d-none)",
            run: "edit EM200-0001",
        },
        {
            content: "Choose a warranty claim",
            trigger: "select[name=type_id]",
            run: "selectByLabel Warranty Claim",
        },
        {
            content: "Only the requirements of a warranty claim are shown",
            trigger: "[data-requirements-type]:not(.d-none):contains('photos: at least 1')",
        },
        {
            content: "Give a title",
            trigger: "input[name=subject]",
            run: "edit White powder after descaling",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name=description]",
            run: "edit The tablets leave a white powder in the water tank.",
        },
        {
            content: "Attach a photo",
            trigger: "input[name=attachments][accept*='image/png']",
            async run(helpers) {
                await choosePhoto(helpers.anchor, "white-powder.png");
            },
        },
        {
            content: "File the claim",
            trigger: "button.o_complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim page confirms the number",
            trigger: ".o_complaint_filed:contains('WR/')",
        },
        {
            content: "The photo is among the files of the claim",
            trigger: "#complaint_attachments a:contains('white-powder.png')",
        },
    ],
});
