from . import portal
from . import public
from . import status
