from . import portal
from . import public
