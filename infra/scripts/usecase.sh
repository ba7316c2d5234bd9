#!/usr/bin/env bash
# Onboards a use-case account to the training-log export platform, and manages who may export its logs.
# Needs the AWS CLI (v1 or v2). Run each command with the credentials it names. Full walk-through: docs/deploy.md.
#
#   new-external-id
#       Prints a random ExternalId to agree with the use-case account.
#
#   deploy-role --worker-role-arn ARN --external-id ID [--stack-name NAME] [--role-name NAME] [--log-group GROUP]
#       USE-CASE ACCOUNT credentials, in the region its SageMaker training jobs run in. Deploys
#       infra/usecase-account-role.yaml and prints the role ARN to register.
#
#   register (--table NAME | --platform-stack NAME) --usecase ID --role-arn ARN --external-id ID
#            [--region REGION] [--log-group GROUP] [--members a,b,c] [--replace]
#       PLATFORM ACCOUNT credentials. Writes the use case into the registry the API and the worker read. Refuses
#       to overwrite an existing use case unless --replace is given.
#
#   add-members | remove-members (--table NAME | --platform-stack NAME) --usecase ID USER_ID...
#       PLATFORM ACCOUNT credentials. Takes effect on the very next API request (registry reads are consistent).
#
#   show (--table NAME | --platform-stack NAME) --usecase ID
#       PLATFORM ACCOUNT credentials. Prints the registry item.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROLE_TEMPLATE="$HERE/../usecase-account-role.yaml"
DEFAULT_LOG_GROUP="/aws/sagemaker/TrainingJobs"
AWS="${AWS_CLI:-aws}"

die() { echo "usecase.sh: $*" >&2; exit 2; }
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
need_aws() { command -v "$AWS" >/dev/null 2>&1 || die "the AWS CLI ('$AWS') is required: https://aws.amazon.com/cli/"; }

# Values that end up inside JSON documents must not be able to break out of their string.
json_safe() {
  [[ "$2" =~ ^[A-Za-z0-9_.:/@+=,#-]*$ ]] || die "$1 contains characters that are not allowed: '$2'"
}

table_from_args() {
  if [[ -n "${TABLE:-}" ]]; then
    echo "$TABLE"
  elif [[ -n "${PLATFORM_STACK:-}" ]]; then
    local t
    t="$("$AWS" cloudformation describe-stacks --stack-name "$PLATFORM_STACK" \
          --query "Stacks[0].Outputs[?OutputKey=='UseCasesTableName'].OutputValue" --output text)"
    [[ -n "$t" && "$t" != "None" ]] || die "stack $PLATFORM_STACK has no UseCasesTableName output"
    echo "$t"
  else
    die "give --table NAME or --platform-stack NAME"
  fi
}

members_json() {  # a,b,c -> ["a","b","c"]
  local out="" m
  IFS=',' read -ra list <<< "$1"
  for m in "${list[@]}"; do
    m="${m#"${m%%[![:space:]]*}"}"; m="${m%"${m##*[![:space:]]}"}"
    [[ -z "$m" ]] && continue
    json_safe "member" "$m"
    out+="${out:+,}\"$m\""
  done
  echo "[$out]"
}

cmd="${1:-}"; shift || true
[[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help || "$cmd" == help ]] && usage 0

STACK_NAME="platform-log-export-read-role"; ROLE_NAME=""; LOG_GROUP=""; WORKER_ROLE_ARN=""; EXTERNAL_ID=""
TABLE=""; PLATFORM_STACK=""; USECASE=""; ROLE_ARN=""; REGION=""; MEMBERS=""; REPLACE=false; USERS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack-name) STACK_NAME="$2"; shift 2 ;;
    --role-name) ROLE_NAME="$2"; shift 2 ;;
    --log-group) LOG_GROUP="$2"; shift 2 ;;
    --worker-role-arn) WORKER_ROLE_ARN="$2"; shift 2 ;;
    --external-id) EXTERNAL_ID="$2"; shift 2 ;;
    --table) TABLE="$2"; shift 2 ;;
    --platform-stack) PLATFORM_STACK="$2"; shift 2 ;;
    --usecase) USECASE="$2"; shift 2 ;;
    --role-arn) ROLE_ARN="$2"; shift 2 ;;
    --region) REGION="$2"; shift 2 ;;
    --members) MEMBERS="$2"; shift 2 ;;
    --replace) REPLACE=true; shift ;;
    --*) die "unknown option $1 (see --help)" ;;
    *) USERS+=("$1"); shift ;;
  esac
done

case "$cmd" in
  new-external-id)
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; echo ;;

  deploy-role)
    need_aws
    [[ -n "$WORKER_ROLE_ARN" ]] || die "--worker-role-arn is required (platform stack output ExportWorkerRoleArn)"
    [[ -n "$EXTERNAL_ID" ]] || die "--external-id is required (see new-external-id)"
    params=("PlatformWorkerRoleArn=$WORKER_ROLE_ARN" "ExternalId=$EXTERNAL_ID")
    [[ -n "$ROLE_NAME" ]] && params+=("RoleName=$ROLE_NAME")
    [[ -n "$LOG_GROUP" ]] && params+=("TrainingLogGroupName=$LOG_GROUP")
    "$AWS" cloudformation deploy --template-file "$ROLE_TEMPLATE" --stack-name "$STACK_NAME" \
      --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --parameter-overrides "${params[@]}" >&2
    # The stack also outputs RoleArn; asking IAM for the stack's role works the same and on every emulator too.
    role_name="$("$AWS" cloudformation describe-stack-resource --stack-name "$STACK_NAME" \
      --logical-resource-id PlatformLogExportReadRole --query "StackResourceDetail.PhysicalResourceId" --output text)"
    "$AWS" iam get-role --role-name "$role_name" --query "Role.Arn" --output text ;;

  register)
    need_aws
    [[ -n "$USECASE" ]] || die "--usecase is required"
    [[ -n "$ROLE_ARN" ]] || die "--role-arn is required (output RoleArn of deploy-role)"
    [[ -n "$EXTERNAL_ID" ]] || die "--external-id is required"
    [[ "$ROLE_ARN" =~ ^arn:aws[a-z-]*:iam::([0-9]{12}):role/.+$ ]] || die "--role-arn is not an IAM role ARN: $ROLE_ARN"
    account="${BASH_REMATCH[1]}"
    region="${REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
    [[ -n "$region" ]] || die "--region is required (where the use case's training jobs run)"
    json_safe "--usecase" "$USECASE"; json_safe "--role-arn" "$ROLE_ARN"; json_safe "--external-id" "$EXTERNAL_ID"
    json_safe "--region" "$region"; json_safe "--log-group" "${LOG_GROUP:-$DEFAULT_LOG_GROUP}"
    table="$(table_from_args)"
    item="{\"usecaseId\":{\"S\":\"$USECASE\"},\"accountId\":{\"S\":\"$account\"},\"roleArn\":{\"S\":\"$ROLE_ARN\"},"
    item+="\"externalId\":{\"S\":\"$EXTERNAL_ID\"},\"region\":{\"S\":\"$region\"},"
    item+="\"logGroup\":{\"S\":\"${LOG_GROUP:-$DEFAULT_LOG_GROUP}\"}"
    members="$(members_json "$MEMBERS")"
    # DynamoDB string sets may not be empty: a use case without members simply has no members attribute.
    [[ "$members" != "[]" ]] && item+=",\"members\":{\"SS\":$members}"
    item+="}"
    condition=()
    $REPLACE || condition=(--condition-expression "attribute_not_exists(usecaseId)")
    "$AWS" dynamodb put-item --table-name "$table" --item "$item" ${condition[@]+"${condition[@]}"}
    echo "registered use case $USECASE (account $account) in $table" ;;

  add-members|remove-members)
    need_aws
    [[ -n "$USECASE" ]] || die "--usecase is required"
    [[ ${#USERS[@]} -gt 0 ]] || die "name at least one user id"
    json_safe "--usecase" "$USECASE"
    table="$(table_from_args)"
    members="$(members_json "$(IFS=,; echo "${USERS[*]}")")"
    verb=ADD; [[ "$cmd" == remove-members ]] && verb=DELETE
    "$AWS" dynamodb update-item --table-name "$table" --key "{\"usecaseId\":{\"S\":\"$USECASE\"}}" \
      --update-expression "$verb members :m" --expression-attribute-values "{\":m\":{\"SS\":$members}}" \
      --condition-expression "attribute_exists(usecaseId)"
    echo "$cmd: ${USERS[*]} ($USECASE)" ;;

  show)
    need_aws
    [[ -n "$USECASE" ]] || die "--usecase is required"
    json_safe "--usecase" "$USECASE"
    "$AWS" dynamodb get-item --consistent-read --table-name "$(table_from_args)" \
      --key "{\"usecaseId\":{\"S\":\"$USECASE\"}}" ;;

  *)
    echo "usecase.sh: unknown command $cmd" >&2; usage 2 ;;
esac
