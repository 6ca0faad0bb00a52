import time
from conftest import interview_args
from test_concurrency import _race

def test_timing(run_module, shared_infra):
    t=time.monotonic()
    r=_race(run_module, [interview_args(shared_infra, f"t-{n}", max_instances=30) for n in range(10)])
    print("create10", time.monotonic()-t, [x.get("msg") for x in r if x.get("failed")])
    t=time.monotonic()
    absents=[{"interview_id": f"t-{n}", "state":"absent","cluster":"interviews","listener_arn":shared_infra["listener_arn"],"hosted_zone_id":shared_infra["zone_id"],"endpoint_url":shared_infra["endpoint"],"region":"us-east-1"} for n in range(10)]
    r=_race(run_module, absents)
    print("absent10", time.monotonic()-t)
    t=time.monotonic()
    r=run_module("interview_service", interview_args(shared_infra, "single"))
    print("create1", time.monotonic()-t)
    t=time.monotonic()
    r=run_module("interview_service", dict(absents[0], interview_id="single"))
    print("absent1", time.monotonic()-t)
