# The web app's fixture world and role users (an office admin, a reviewer, a leader, unit admins
# of 0107 and 0302), shared rather than copied.
from tests.web.conftest import _fast_and_clean, client_for, users, world  # noqa: F401
