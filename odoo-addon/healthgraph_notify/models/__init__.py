from . import healthgraph_gateway
from . import account_move
from . import account_payment
from . import mail_activity
