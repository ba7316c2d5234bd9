"""Runs the AWS SAM transform (aws-sam-translator, pinned in requirements-dev.txt) on a template, offline.

Usage: sam_transform.py TEMPLATE [--keep-includes]

Does locally what a deployment does before CloudFormation creates anything: `sam package` turns local CodeUri
paths into S3 objects (simulated here), CloudFormation expands nested AWS::Include transforms (inlined here from the
template's directory, unless --keep-includes), then the AWS::Serverless transform turns SAM resources into plain
CloudFormation. Prints {"template": <transformed>, "localCode": {function: CodeUri}} as JSON, or
{"errors": [...]} with exit code 1 when SAM rejects the template.
"""
import json
import os
import sys

from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

# Parameters without defaults need some value; these are the shapes a deployer gives.
PARAMETERS = {
    "JwtIssuer": "https://issuer.example.com",
    "JwtAudience": "example-client-id",
    "AllowedOrigins": "https://ml.example.com",
}


class NoManagedPolicies:
    """The stack names no managed policies; SAM would otherwise ask IAM for the list."""

    def load(self):
        return {}


def inline_includes(node, base):
    if isinstance(node, dict):
        spec = node.get("Fn::Transform")
        if len(node) == 1 and isinstance(spec, dict) and spec.get("Name") == "AWS::Include":
            with open(os.path.join(base, spec["Parameters"]["Location"])) as f:
                return inline_includes(yaml_parse(f.read()), base)
        return {k: inline_includes(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_includes(v, base) for v in node]
    return node


def main(argv):
    path = argv[1]
    with open(path) as f:
        template = yaml_parse(f.read())
    if "--keep-includes" not in argv:
        template = inline_includes(template, os.path.dirname(os.path.abspath(path)))
    local_code = {}
    for logical_id, resource in template.get("Resources", {}).items():
        props = resource.get("Properties", {})
        code = props.get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(code, str) and not code.startswith("s3://"):
            local_code[logical_id] = code
            props["CodeUri"] = "s3://packaged-artifacts/" + os.path.basename(code)
    try:
        out = transform(template, PARAMETERS, NoManagedPolicies())
    except InvalidDocumentException as e:
        print(json.dumps({"errors": [str(cause) for cause in e.causes]}))
        return 1
    print(json.dumps({"template": out, "localCode": local_code}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
