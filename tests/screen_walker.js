/* Walks the suite's screens in the web client as the logged-in user does:
 * every menu, every view type of its action, a record's form (or a new one),
 * the smart buttons and banner links of the suite on it, and the forms of other
 * apps that the suite extends. Errors (error dialogs, failed RPCs, uncaught
 * exceptions) are collected and reported together at the end.
 *
 * The Python test calls walkScreens(plan) with:
 *   plan.menus:   xmlids of the menus to open (their action must open)
 *   plan.buttons: names of the suite's smart buttons and banner links
 *   plan.forms:   [{model, id}] forms of other models that carry suite buttons
 */
async function walkScreens(plan) {
    const { App } = odoo.loader.modules.get("@odoo/owl");
    const { rpcBus } = odoo.loader.modules.get("@web/core/network/rpc");
    const env = odoo.__WOWL_DEBUG__.root.env;
    const actionService = env.services.action;
    const errors = [];
    const visited = { menus: [], views: 0, forms: [], buttons: [] };
    const pending = new Set();
    let where = "start";

    rpcBus.addEventListener("RPC:REQUEST", ({ detail }) => pending.add(detail.data.id));
    rpcBus.addEventListener("RPC:RESPONSE", ({ detail }) => {
        pending.delete(detail.data.id);
        if (detail.error) {
            const error = detail.error.data || detail.error;
            errors.push(`${where}: RPC ${detail.data.params?.method || ""} failed: ${error.message || error.name}`);
        }
    });

    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const busy = () =>
        pending.size > 0 || App.apps && [...App.apps].some((app) => app.scheduler.tasks.size > 0);

    function collectErrorDialogs() {
        for (const dialog of document.querySelectorAll(".o_error_dialog")) {
            errors.push(`${where}: error dialog: ${dialog.innerText.slice(0, 500)}`);
            const close = dialog.closest(".modal")?.querySelector(".btn-close, .btn-primary");
            close?.click();
        }
    }

    async function settle() {
        await sleep(50);
        for (let waited = 0; busy(); waited += 50) {
            if (waited > 30000) {
                errors.push(`${where}: still loading after 30 s`);
                break;
            }
            await sleep(50);
        }
        await sleep(50);
        collectErrorDialogs();
    }

    async function step(label, action) {
        where = label;
        try {
            await action();
        } catch (error) {
            errors.push(`${label}: ${error.message || error}`);
        }
        await settle();
    }

    const controller = () => actionService.currentController;

    async function backTo(jsId) {
        for (const modal of document.querySelectorAll(".modal .btn-close")) {
            modal.click();
        }
        await settle();
        if (controller() && controller().jsId !== jsId) {
            await step(`${where} (back)`, () => actionService.restore(jsId));
        }
    }

    const BUTTONS = [
        ".o_form_view .o-form-buttonbox button[name]",
        ".o_dropdown_more button[name]",
        ".o_form_view .o_form_statusbar button[name]",
        ".o_form_view .alert button[name]",
        ".o_form_view .alert a[name]",
        ".o_list_renderer .o_data_row button[name]",
        ".o_kanban_record button[name]",
        ".o_kanban_record a[name]",
    ].join(", ");

    async function findSuiteButtons() {
        // stat buttons beyond the first few hide in the button box's "More" menu
        const more = document.querySelector(".o_form_view .o_button_more");
        if (more && !document.querySelector(".o_dropdown_more")) {
            more.click();
            await settle();
        }
        return [...document.querySelectorAll(BUTTONS)].filter(
            (el) =>
                plan.buttons.includes(el.getAttribute("name")) &&
                el.offsetParent &&
                // sample records of an empty view take no clicks (pointer-events: none)
                !el.closest(".o_view_sample_data")
        );
    }

    async function clickSuiteButtons(label) {
        const names = new Set((await findSuiteButtons()).map((el) => el.getAttribute("name")));
        for (const name of names) {
            const origin = controller().jsId;
            const button = (await findSuiteButtons()).find((el) => el.getAttribute("name") === name);
            if (!button) {
                errors.push(`${label}: button ${name} disappeared`);
                continue;
            }
            await step(`${label} > button ${name}`, () => button.click());
            visited.buttons.push(`${label} > ${name}`);
            await backTo(origin);
        }
    }

    async function openRecord(label) {
        const viewType = controller().view?.type;
        const origin = controller().jsId;
        const firstReal = (selector) =>
            [...document.querySelectorAll(selector)].find((el) => !el.closest(".o_view_sample_data"));
        const row = firstReal(".o_list_view .o_data_row .o_data_cell");
        const card = firstReal(".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)");
        const target = viewType === "list" ? row : viewType === "kanban" ? card : null;
        if (target) {
            await step(`${label} > open record`, () => target.click());
        } else {
            const add = document.querySelector(".o_list_button_add, .o-kanban-button-new");
            if (!add) {
                return;
            }
            await step(`${label} > new record`, () => add.click());
        }
        if (controller().view?.type === "form" || document.querySelector(".modal .o_form_view")) {
            visited.forms.push(`${label} > ${controller().props?.resModel},${controller().props?.resId}`);
            if (target) {
                await clickSuiteButtons(`${label} > form`);
            } else {
                // a new record is left unsaved, as a person who only looks would
                const discard = document.querySelector(".o_form_button_cancel");
                if (discard?.offsetParent) {
                    await step(`${label} > discard`, () => discard.click());
                }
            }
        }
        await backTo(origin);
    }

    for (const xmlid of plan.menus) {
        const menu = env.services.menu.getAll().find((m) => m.xmlid === xmlid);
        if (!menu) {
            errors.push(`menu ${xmlid}: not in the user's menus`);
            continue;
        }
        const label = `menu ${xmlid}`;
        await step(label, () => env.services.menu.selectMenu(menu));
        if (!controller() || controller().action.type !== "ir.actions.act_window") {
            visited.menus.push(xmlid);
            continue;
        }
        visited.menus.push(xmlid);
        const viewTypes = controller().views.map((view) => view.type).filter((type) => type !== "form");
        for (const type of viewTypes) {
            if (controller().view?.type !== type) {
                await step(`${label} > ${type}`, () => actionService.switchView(type));
            }
            visited.views++;
            if (type === "kanban" || type === "list") {
                await clickSuiteButtons(`${label} > ${type}`);
            }
        }
        for (const type of ["list", "kanban"]) {
            if (viewTypes.includes(type)) {
                if (controller().view?.type !== type) {
                    await step(`${label} > ${type}`, () => actionService.switchView(type));
                }
                await openRecord(`${label} > ${type}`);
                break;
            }
        }
    }

    for (const form of plan.forms) {
        const label = `form ${form.model},${form.id}`;
        await step(label, () =>
            actionService.doAction(
                { type: "ir.actions.act_window", res_model: form.model, res_id: form.id, views: [[false, "form"]] },
                { clearBreadcrumbs: true }
            )
        );
        visited.forms.push(label);
        await clickSuiteButtons(label);
    }

    const missing = plan.menus.filter((xmlid) => !visited.menus.includes(xmlid));
    if (missing.length) {
        errors.push(`menus not visited: ${missing.join(", ")}`);
    }
    console.log(`screen walk: ${JSON.stringify({ ...visited, menus: visited.menus.length })}`);
    if (errors.length) {
        console.error(`screen walk found ${errors.length} error(s):\n${errors.join("\n")}`);
    } else {
        console.log("screen walk succeeded");
    }
}
