"""Ralph's LRS API with its filesystem backend in append mode (Ralph 5.1 writes only once otherwise)."""
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402,F401
