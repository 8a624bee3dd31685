from . import test_portal_settlement
