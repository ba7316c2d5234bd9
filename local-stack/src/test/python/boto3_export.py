"""A user's own export script, the old synchronous approach that PeersBench (issue 11) measures the product against.

Assume the use case's read role, list the job's streams (DescribeLogStreams), read each stream page by page with
GetLogEvents, merge the streams by timestamp with a heap (a stream's next page is fetched when the merge needs it),
and write one line per event: "<epoch ms>\t<stream>\t<message>".

Retries: botocore's "legacy" mode, pinned so that AWS_RETRY_MODE cannot change it; it is what a boto3 client uses
when nothing is configured: 5 attempts in all, exponential backoff, ThrottlingException retried.

usage: boto3_export.py ENDPOINT ROLE_ARN EXTERNAL_ID LOG_GROUP STREAM_PREFIX OUT_FILE
(region and the caller's credentials from the environment)
"""
import heapq
import sys

import boto3
from botocore.config import Config


def main(endpoint, role_arn, external_id, group, prefix, out):
    config = Config(retries={"mode": "legacy"})
    creds = boto3.client("sts", endpoint_url=endpoint, config=config).assume_role(
        RoleArn=role_arn, RoleSessionName="peer-boto3", ExternalId=external_id)["Credentials"]
    logs = boto3.client("logs", endpoint_url=endpoint, config=config,
                        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])
    streams = [s["logStreamName"]
               for page in logs.get_paginator("describe_log_streams").paginate(
                   logGroupName=group, logStreamNamePrefix=prefix)
               for s in page["logStreams"]]

    def events(stream):
        request = {"logGroupName": group, "logStreamName": stream, "startFromHead": True}
        while True:
            page = logs.get_log_events(**request)
            for e in page["events"]:
                yield e["timestamp"], stream, e["message"]
            # The end of a stream: the same forward token again.
            if page["nextForwardToken"] == request.get("nextToken"):
                return
            request["nextToken"] = page["nextForwardToken"]

    with open(out, "w", encoding="utf-8") as f:
        for timestamp, stream, message in heapq.merge(*(events(s) for s in streams)):
            f.write(f"{timestamp}\t{stream}\t{message}\n")


if __name__ == "__main__":
    main(*sys.argv[1:7])
