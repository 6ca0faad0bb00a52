"""The S3 backend with DynamoDB locking, against a moto server, in a new workspace."""

from __future__ import annotations

import json

import boto3
import pytest

BUCKET = "interviewops-tfstate"
TABLE = "interviewops-tflock"
KEY = "counter/terraform.tfstate"


@pytest.fixture
def backend(aws_env, moto_server):
    s3 = boto3.client("s3", endpoint_url=moto_server)
    s3.create_bucket(Bucket=BUCKET)
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_server)
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    config = {
        "bucket": BUCKET,
        "key": KEY,
        "region": "us-east-1",
        "dynamodb_table": TABLE,
        "encrypt": True,
        "use_path_style": True,
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        "endpoints": {"s3": moto_server, "dynamodb": moto_server},
        "access_key": "testing",
        "secret_key": "testing-secret-key",
    }
    yield {"config": config, "s3": s3, "dynamodb": dynamodb}
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)
    dynamodb.delete_table(TableName=TABLE)


def s3_stack(stack):
    path = stack("counter")
    (path / "backend.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    return path


def test_new_workspace_on_s3_with_dynamodb_lock(stack, module, backend):
    path = s3_stack(stack)
    args = {
        "project_path": str(path),
        "workspace": "staging",
        "backend_config": backend["config"],
        "plan_file": str(path.parent / "staging.tfplan"),
        "variables": {"resource_count": 3},
    }
    plan = module("terraform_plan", args)
    assert not plan.get("failed"), plan["msg"]
    assert plan["changed"] is True and plan["counts"]["add"] == 3
    assert plan["serial"] == 1 and plan["lineage"]  # the empty state `workspace new` wrote
    assert "testing-secret-key" not in plan["_raw"]

    applied = module("terraform_apply", {k: v for k, v in args.items() if k != "variables"})
    assert not applied.get("failed"), applied["msg"]
    assert applied["outputs"] == {"item_count": 3}

    # workspace state lives under env:/staging/<key>; default has none
    keys = {item["Key"] for item in backend["s3"].list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"env:/staging/{KEY}" in keys
    assert KEY not in keys
    state = json.loads(backend["s3"].get_object(Bucket=BUCKET, Key=f"env:/staging/{KEY}")["Body"].read())
    assert state["serial"] == applied["serial"] and len(state["resources"][0]["instances"]) == 3
    # DynamoDB locking was used: the table holds the state digest, and no lock is left behind
    items = backend["dynamodb"].scan(TableName=TABLE)["Items"]
    ids = [item["LockID"]["S"] for item in items]
    assert any(i.endswith("-md5") for i in ids), ids
    assert all(i.endswith("-md5") for i in ids), f"a lock was left behind: {ids}"

    again = module("terraform_plan", args)
    assert not again.get("failed"), again["msg"]
    assert again["changed"] is False and again["serial"] == applied["serial"]

    # a lock held by someone else: waits lock_timeout, then names the holder
    lock_id = f"{BUCKET}/env:/staging/{KEY}"
    backend["dynamodb"].put_item(
        TableName=TABLE,
        Item={
            "LockID": {"S": lock_id},
            "Info": {
                "S": json.dumps(
                    {
                        "ID": "11111111-2222-3333-4444-555555555555",
                        "Operation": "OperationTypeApply",
                        "Who": "awx@node-7",
                        "Version": "1.12.6",
                        "Created": "2026-11-22T02:00:00Z",
                        "Path": lock_id,
                    }
                )
            },
        },
    )
    locked = module("terraform_plan", dict(args, lock_timeout="2s", variables={"resource_count": 4}))
    assert locked.get("failed")
    assert "the state is locked by awx@node-7" in locked["msg"], locked["msg"]
    assert "11111111-2222-3333-4444-555555555555" in locked["msg"]
