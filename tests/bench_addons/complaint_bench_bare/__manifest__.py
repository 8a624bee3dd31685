# Benchmark-only add-on: the cheapest useful mail.thread model, to compare
# complaint.case against. Never installed by the suite itself.
{
    "name": "Complaint Suite Benchmark: bare mail.thread model",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "Complaint Suite contributors",
    "license": "LGPL-3",
    "depends": ["mail"],
    "data": ["security/ir.model.access.csv"],
}
