def post_init_hook(env):
    """Cases that exist before the add-on is installed get the first stage of
    their type mapped to their status and their SLA clocks (counted from their
    reception), so that kanban and deadlines work at once. No customer is
    notified: nothing happened to their case."""
    cases = env["complaint.case"].with_context(active_test=False).search([("stage_id", "=", False)])
    Stage = env["complaint.stage"]
    groups = {}
    for case in cases:
        groups.setdefault((case.type_id, case.state), env["complaint.case"])
        groups[(case.type_id, case.state)] |= case
    for (case_type, state), group in groups.items():
        stage = Stage._get_first_for(case_type, state)
        if stage:
            group._attach_stage(stage)
    undecided = cases.filtered(lambda case: case.state in ("new", "in_progress", "waiting"))
    env["complaint.sla.policy"]._apply_to_cases(undecided)
