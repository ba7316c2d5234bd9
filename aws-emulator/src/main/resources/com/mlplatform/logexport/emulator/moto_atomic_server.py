"""Start moto server with DynamoDB writes made atomic, as they are on AWS.

moto server handles requests on several threads, but its DynamoDB backend evaluates a ConditionExpression and then
writes without a lock. Two concurrent conditional writes to one item can then both succeed, which real DynamoDB never
allows. The pipeline's exactly-once guarantees rest on that atomicity, so the emulator must provide it too: every
DynamoDB write below runs under one lock. Reads stay concurrent, and every other service is untouched.

Usage: python moto_atomic_server.py [moto_server arguments]
"""
import functools
import sys
import threading

from moto.dynamodb.models import DynamoDBBackend
from moto.server import main

_WRITE_LOCK = threading.RLock()
_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")


def _atomic(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with _WRITE_LOCK:
            return method(*args, **kwargs)

    return wrapper


for _name in _WRITES:
    setattr(DynamoDBBackend, _name, _atomic(getattr(DynamoDBBackend, _name)))

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
