"""Records of the PV sales force: the queues and calls (models_queue.py), the field
meetings and salespeople's working days (models_field.py)."""

from obieg.solutions.pv_salesforce.models_field import *  # noqa: F403
from obieg.solutions.pv_salesforce.models_queue import *  # noqa: F403
