from . import test_inspection_repair
