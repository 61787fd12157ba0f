# Offline checks of the module: `terraform test` against a mocked AWS provider (no credentials, no network).
# A plan also fails here if any output carries a sensitive value without being marked sensitive, which
# `terraform validate` does not catch.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  # the policies themselves are checked through the data sources' statements below
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_resource "aws_db_instance" {
    defaults = {
      address = "sift.abc123.us-east-1.rds.amazonaws.com"
      port    = 5432
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123-AbCdEf"
        secret_status = "active"
        kms_key_id    = ""
      }]
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "sift-20260101"
      arn = "arn:aws:s3:::sift-20260101"
    }
  }

  mock_resource "aws_batch_job_queue" {
    defaults = { arn = "arn:aws:batch:us-east-1:123456789012:job-queue/mocked" }
  }

  mock_resource "aws_batch_job_definition" {
    defaults = {
      arn        = "arn:aws:batch:us-east-1:123456789012:job-definition/mocked:1"
      arn_prefix = "arn:aws:batch:us-east-1:123456789012:job-definition/mocked"
    }
  }

  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sift-hash-key-AbCdEf" }
  }

  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mocked" }
  }

  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/mocked" }
  }

  mock_resource "aws_batch_compute_environment" {
    defaults = { arn = "arn:aws:batch:us-east-1:123456789012:compute-environment/mocked" }
  }

  mock_resource "aws_ecs_cluster" {
    defaults = {
      id  = "arn:aws:ecs:us-east-1:123456789012:cluster/sift"
      arn = "arn:aws:ecs:us-east-1:123456789012:cluster/sift"
    }
  }

  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/sift-serve:1" }
  }

  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }

  mock_resource "aws_ecr_repository" {
    defaults = {
      arn            = "arn:aws:ecr:us-east-1:123456789012:repository/sift"
      repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sift"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mocked" }
  }
}

variables {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  cpu_image_tag      = "jvm-0.1.0"
  gpu_image_tag      = "gpu-0.1.0"
}

run "defaults" {
  command = apply

  # S3: private, encrypted with KMS, TLS only, versioned
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "The bucket must block every kind of public access."
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be off (BucketOwnerEnforced)."
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "The bucket must be versioned."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && length(aws_kms_key.s3) == 1
    error_message = "Default encryption must be aws:kms with a created key."
  }

  assert {
    condition = anytrue([for s in data.aws_iam_policy_document.bucket.statement :
      s.effect == "Deny" && contains(s.actions, "s3:*") && anytrue([for c in s.condition :
    c.variable == "aws:SecureTransport" && contains(c.values, "false")])])
    error_message = "The bucket policy must deny requests without TLS."
  }

  # RDS: private, encrypted, password managed by RDS
  assert {
    condition     = !aws_db_instance.this.publicly_accessible && aws_db_instance.this.storage_encrypted && aws_db_instance.this.manage_master_user_password
    error_message = "RDS must be private, encrypted and have its master password managed in Secrets Manager."
  }

  assert {
    condition     = aws_db_instance.this.password == null
    error_message = "No master password may be set in the configuration."
  }

  assert {
    condition = length(aws_vpc_security_group_ingress_rule.db) == 2 && alltrue([for r in aws_vpc_security_group_ingress_rule.db :
      r.from_port == 5432 && r.to_port == 5432 && r.cidr_ipv4 == null && r.cidr_ipv6 == null &&
    contains([aws_security_group.this["batch"].id, aws_security_group.this["scheduler"].id], r.referenced_security_group_id)])
    error_message = "PostgreSQL must be open on 5432 to the Batch and scheduler security groups only."
  }

  # Batch: GPU on spot by default, g5/g6 only, retries only for host (spot) failures
  assert {
    condition     = one(aws_batch_compute_environment.this["gpu"].compute_resources).type == "SPOT" && one(aws_batch_compute_environment.this["gpu"].compute_resources).allocation_strategy == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    error_message = "The GPU compute environment must default to spot with the price-capacity-optimized strategy."
  }

  assert {
    condition     = alltrue([for t in one(aws_batch_compute_environment.this["gpu"].compute_resources).instance_type : can(regex("^g(5|6)", t))])
    error_message = "GPU instances must be g5 or g6."
  }

  assert {
    condition = alltrue([for d in aws_batch_job_definition.this :
      one(d.retry_strategy).attempts == 3 &&
      one(d.retry_strategy).evaluate_on_exit[0].on_status_reason == "Host EC2*" &&
      lower(one(d.retry_strategy).evaluate_on_exit[0].action) == "retry" &&
      one(d.retry_strategy).evaluate_on_exit[1].on_reason == "*" &&
    lower(one(d.retry_strategy).evaluate_on_exit[1].action) == "exit"])
    error_message = "Every job definition must retry on Host EC2* (spot interruption) and exit on anything else."
  }

  assert {
    condition     = { for k, d in aws_batch_job_definition.this : k => d.name } == { run = "sift-run", run_cpu = "sift-run-cpu", score = "sift-score" }
    error_message = "The job definitions must be sift-run, sift-run-cpu and sift-score."
  }

  assert {
    condition = (jsondecode(aws_batch_job_definition.this["run"].container_properties).image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/sift:gpu-0.1.0"
      && jsondecode(aws_batch_job_definition.this["run_cpu"].container_properties).image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/sift:jvm-0.1.0"
    && jsondecode(aws_ecs_task_definition.scheduler.container_definitions)[0].image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/sift:jvm-0.1.0")
    error_message = "GPU jobs run the GPU image; the CPU job and the scheduler the JVM image."
  }

  assert {
    condition = { for k, d in aws_batch_job_definition.this : k => [for r in jsondecode(d.container_properties).resourceRequirements : r.value if r.type == "GPU"] } == {
      run = ["1"], run_cpu = [], score = ["1"]
    }
    error_message = "run and score (by default) must ask for one GPU, run_cpu for none."
  }

  # Secrets reach the containers through ECS secrets, never as plain environment
  assert {
    condition = alltrue([for props in concat(
      [for d in aws_batch_job_definition.this : jsondecode(d.container_properties)],
      [jsondecode(aws_ecs_task_definition.scheduler.container_definitions)[0]],
      ) : length([for e in props.environment : e if can(regex("PASSWORD|HASH_KEY|SECRET", e.name))]) == 0 &&
      contains(props.secrets, { name = "SIFT_DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123-AbCdEf:password::" }) &&
    contains(props.secrets, { name = "SIFT_PRIVACY_HASH_KEY", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sift-hash-key-AbCdEf" })])
    error_message = "The password and hash key must come from Secrets Manager (secrets), never from plain environment."
  }

  # Scheduler: one Fargate task, private
  assert {
    condition     = aws_ecs_service.scheduler.desired_count == 1 && aws_ecs_service.scheduler.launch_type == "FARGATE" && !one(aws_ecs_service.scheduler.network_configuration).assign_public_ip
    error_message = "The scheduler must be one private Fargate task."
  }

  # IAM: the job role only touches the Sift prefixes of its bucket
  assert {
    condition = alltrue(flatten([for s in data.aws_iam_policy_document.s3["batch_job"].statement :
      [for r in s.resources : r == "arn:aws:s3:::sift-20260101" || contains([
        "arn:aws:s3:::sift-20260101/datasets/*", "arn:aws:s3:::sift-20260101/runs/*", "arn:aws:s3:::sift-20260101/cache/*"
    ], r) || startswith(r, "arn:aws:kms:")]]))
    error_message = "The Batch job role may reach only the datasets/, runs/ and cache/ prefixes of its bucket."
  }

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.s3["batch_job"].statement :
    !contains(s.actions, "s3:*") && !contains(s.resources, "*")])
    error_message = "No wildcard S3 action or resource."
  }

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.scheduler_task.statement :
      alltrue([for r in s.resources : startswith(r, "arn:aws:batch:us-east-1:123456789012:job-")])
    if contains(s.actions, "batch:SubmitJob")])
    error_message = "The scheduler may submit only to its own queues and job definitions."
  }

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.scheduler_task.statement :
    toset(s.resources) == toset(["arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123-AbCdEf"]) if contains(s.actions, "secretsmanager:GetSecretValue")])
    error_message = "The scheduler may read its database secret and no other."
  }

  # Commands: the images' entry point is the sift launcher, so a command is its arguments
  assert {
    condition = (jsondecode(aws_ecs_task_definition.scheduler.container_definitions)[0].command == ["serve"]
      && { for k, d in aws_batch_job_definition.this : k => jsondecode(d.container_properties).command } == {
        run = ["resume", "Ref::run"], run_cpu = ["resume", "Ref::run"], score = ["resume", "Ref::run", "--only-stage", "score"]
    })
    error_message = "Container commands are the sift launcher's arguments (serve, resume RUN), never 'sift ...'."
  }

  # Submitting tags the job (sift-run, sift-retry-of): TagResource on jobs, for those keys only
  assert {
    condition = anytrue([for s in data.aws_iam_policy_document.scheduler_task.statement :
      contains(s.actions, "batch:TagResource") && toset(s.resources) == toset(["arn:aws:batch:us-east-1:123456789012:job/*"]) &&
    anytrue([for c in s.condition : c.variable == "aws:TagKeys" && toset(c.values) == toset(["sift-run", "sift-retry-of"])])])
    error_message = "The scheduler must be allowed to tag the jobs it submits with sift-run and sift-retry-of."
  }

  # Jobs cannot reach the instance role: IMDSv2 with one hop
  assert {
    condition = (one(aws_launch_template.batch.metadata_options).http_tokens == "required"
      && one(aws_launch_template.batch.metadata_options).http_put_response_hop_limit == 1
    && alltrue([for e in aws_batch_compute_environment.this : one(one(e.compute_resources).launch_template).launch_template_id == aws_launch_template.batch.id]))
    error_message = "Every compute environment must use the IMDSv2, one-hop launch template."
  }

  assert {
    condition     = length(aws_iam_role_policy.inputs) == 0
    error_message = "No input_s3_arns: no access outside Sift's bucket."
  }

  # Outputs named after Sift's settings
  assert {
    condition     = output.sift_db_url == "jdbc:postgresql://sift.abc123.us-east-1.rds.amazonaws.com:5432/sift?sslmode=require"
    error_message = "sift_db_url must be the JDBC URL of the instance."
  }

  assert {
    condition     = output.sift_s3_bucket == "sift-20260101" && output.sift_environment.SIFT_S3_BUCKET == "sift-20260101" && output.sift_environment.SIFT_S3_EMBEDDED == "false"
    error_message = "sift_s3_bucket and sift_environment must name the bucket and AWS S3 itself."
  }

  assert {
    condition     = length([for k, v in output.sift_environment : k if can(regex("PASSWORD|HASH_KEY", k))]) == 0
    error_message = "sift_environment must not hold the password or the hash key."
  }
}

run "on_demand_gpu_and_s3_managed_keys" {
  command = apply

  variables {
    gpu_capacity        = "ON_DEMAND"
    s3_sse_algorithm    = "AES256"
    score_job_gpus      = 0
    secrets_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = one(aws_batch_compute_environment.this["gpu"].compute_resources).type == "EC2" && one(aws_batch_compute_environment.this["gpu"].compute_resources).allocation_strategy == "BEST_FIT_PROGRESSIVE"
    error_message = "On-demand GPUs: type EC2, BEST_FIT_PROGRESSIVE."
  }

  assert {
    condition     = length(aws_kms_key.s3) == 0 && one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "AES256: S3 managed keys, no KMS key created."
  }

  assert {
    condition = (toset(one(one(data.aws_iam_policy_document.secrets_key).statement).resources) == toset(["arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"])
      && alltrue([for d in concat(values(data.aws_iam_policy_document.execution), [data.aws_iam_policy_document.scheduler_task]) :
    d.source_policy_documents == tolist([one(data.aws_iam_policy_document.secrets_key).json])]))
    error_message = "A secrets key: every policy that reads the secrets (both execution roles, the scheduler task) may decrypt with it."
  }

  assert {
    condition     = length([for r in jsondecode(aws_batch_job_definition.this["score"].container_properties).resourceRequirements : r if r.type == "GPU"]) == 0
    error_message = "score_job_gpus = 0 must drop the GPU requirement."
  }
}

run "rejects_non_g5_g6_gpus" {
  command = plan

  variables {
    gpu_instance_types = ["p4d.24xlarge"]
  }

  expect_failures = [var.gpu_instance_types]
}

run "input_data_in_the_shops_bucket" {
  command = apply

  variables {
    input_s3_arns      = ["arn:aws:s3:::shop-exports/search/*", "arn:aws:s3:::shop-models/bert/*"]
    input_kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"]
  }

  assert {
    condition     = toset(keys(aws_iam_role_policy.inputs)) == toset(["batch_job", "scheduler"])
    error_message = "The jobs and the scheduler both read the shop's data."
  }

  assert {
    condition = (toset(flatten([for s in one(data.aws_iam_policy_document.inputs).statement : s.resources if s.sid == "InputObjects"])) == toset(["arn:aws:s3:::shop-exports/search/*", "arn:aws:s3:::shop-models/bert/*"])
      && toset(flatten([for s in one(data.aws_iam_policy_document.inputs).statement : s.resources if s.sid == "InputBuckets"])) == toset(["arn:aws:s3:::shop-exports", "arn:aws:s3:::shop-models"])
      && toset(flatten([for s in one(data.aws_iam_policy_document.inputs).statement : [for c in s.condition : c.values] if s.sid == "InputBuckets"])) == toset(["search/*", "bert/*"])
    && alltrue([for s in one(data.aws_iam_policy_document.inputs).statement : !contains(s.actions, "s3:PutObject")]))
    error_message = "GetObject on the given objects, ListBucket on their buckets under their prefixes, nothing written."
  }
}

run "rejects_a_bucket_arn_as_input" {
  command = plan

  variables {
    input_s3_arns = ["arn:aws:s3:::shop-exports"]
  }

  expect_failures = [var.input_s3_arns]
}
