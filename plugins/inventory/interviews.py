# -*- coding: utf-8 -*-
# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: interviews
short_description: Per-interview code-server environments on ECS as inventory hosts
version_added: 0.1.0
description:
  - One host C(interview_<id>) per interview that M(interviewops.platform.interview_service) made
    (ECS services tagged C(managed-by=interviewops.platform)) in the listed clusters and regions.
  - "API calls per cluster and region: C(ListServices) pages of 100 plus C(DescribeServices) with tags
    in batches of 10. Nothing is called per host. With O(cache) on, a cache hit makes no API call at all."
  - "Groups: C(interviews) (all), C(interviews_expired), C(challenge_<name>) and C(status_<name>)
    (C(running), C(pending), C(stopped), C(draining)). Add more with O(groups) and O(keyed_groups)."
  - Every value that comes from AWS (tags included) is marked unsafe, so it is never templated.
  - The configuration file must end with C(interviews.yml) or C(interviews.yaml).
  - For an AWX inventory source, O(clusters) and O(regions) can come from environment variables,
    and the credentials from the usual AWS variables.
author:
  - interviewops platform team (@interviewops)
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
  - amazon.aws.assume_role.plugins
options:
  plugin:
    description: Name of this plugin.
    type: str
    required: true
    choices: [interviewops.platform.interviews]
  clusters:
    description: ECS clusters to read (names or ARNs).
    type: list
    elements: str
    required: true
    env:
      - name: INTERVIEWOPS_INTERVIEW_CLUSTERS
  regions:
    description:
      - Regions to read. Nothing is discovered; when empty, only the region from O(region) or the
        environment is read.
    type: list
    elements: str
    default: []
    env:
      - name: INTERVIEWOPS_INTERVIEW_REGIONS
  retries:
    description: How often a throttled call is retried with jittered backoff.
    type: int
    default: 8
"""

EXAMPLES = r"""
# interviews.yml
plugin: interviewops.platform.interviews
clusters: [interviews]
regions: [eu-west-1]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: .tools/cache/inventory
cache_timeout: 300
keyed_groups:
  - key: tags['team'] | default('none')
    prefix: team
groups:
  ending_soon: not expired and remaining_seconds < 900
compose:
  ansible_connection: "'local'"

# Against a moto server (tests):
# plugin: interviewops.platform.interviews
# clusters: [interviews]
# regions: [us-east-1]
# endpoint_url: http://127.0.0.1:5000
"""

from ansible.errors import AnsibleError
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.interviewops.platform.plugins.module_utils._interviews import BOTOCORE_CONFIG
from ansible_collections.interviewops.platform.plugins.module_utils._interviews import list_interview_services
from ansible_collections.interviewops.platform.plugins.module_utils._interviews import make_retry
from ansible_collections.interviewops.platform.plugins.module_utils._interviews import summarise_service
from ansible_collections.interviewops.platform.plugins.module_utils._interviews import utcnow

try:
    import botocore
except ImportError:
    pass  # AWSInventoryBase.parse reports the missing SDK

# Only these fields of a DescribeServices entry are kept (and cached): all JSON-safe.
_KEEP = (
    "serviceName",
    "serviceArn",
    "status",
    "desiredCount",
    "runningCount",
    "pendingCount",
    "taskDefinition",
    "tags",
)


def slim_service(service):
    slim = {key: service.get(key) for key in _KEEP}
    created = service.get("createdAt")
    slim["createdAt"] = created.isoformat() if hasattr(created, "isoformat") else created
    return slim


class InventoryModule(AWSInventoryBase):
    NAME = "interviewops.platform.interviews"
    INVENTORY_FILE_SUFFIXES = ("interviews.yml", "interviews.yaml")

    def _query(self):
        """Raw, cacheable data: [{region, cluster, services: [slim service, ...]}, ...]."""
        regions = self.get_option("regions") or [self.region]
        if not regions or regions == [None]:
            raise AnsibleError("interviews inventory: no region; set 'regions' or 'region' (or AWS_REGION)")
        retry = make_retry(self.get_option("retries"))
        results = []
        for region in regions:
            ecs = self.client("ecs", region=region, config=BOTOCORE_CONFIG)
            for cluster in self.get_option("clusters"):
                try:
                    services = list_interview_services(ecs, cluster, retry=retry)
                except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
                    self.fail_aws(f"Failed to list interviews in cluster {cluster} ({region})", exception=e)
                results.append({"region": region, "cluster": cluster, "services": [slim_service(s) for s in services]})
        return results

    def _populate(self, results):
        now = utcnow()
        strict = self.get_option("strict")
        self.inventory.add_group("interviews")
        self.inventory.add_group("interviews_expired")
        for entry in results:
            for service in entry["services"]:
                summary = summarise_service(service, entry["cluster"], entry["region"], now)
                name = f"interview_{summary['interview_id']}"
                hostvars = wrap_var(dict(summary, created_at=service.get("createdAt")))
                self.inventory.add_host(name, group="interviews")
                if summary["expired"]:
                    self.inventory.add_child("interviews_expired", name)
                for prefix, value in (("challenge", summary["challenge"]), ("status", summary["status"])):
                    if value:
                        group = self.inventory.add_group(self._sanitize_group_name(f"{prefix}_{value}"))
                        self.inventory.add_child(group, name)
                for key, value in hostvars.items():
                    self.inventory.set_variable(name, key, value)
                self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
                self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
                self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        was_cached, results = self.get_cached_result(path, cache)
        if not was_cached:
            results = self._query()
        self._populate(results)
        self.update_cached_result(path, cache, results)
