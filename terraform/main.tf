data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  create_s3_kms_key = var.s3_sse_algorithm == "aws:kms" && var.s3_kms_key_arn == null
  s3_kms_key_arn    = var.s3_sse_algorithm == "aws:kms" ? (local.create_s3_kms_key ? aws_kms_key.s3[0].arn : var.s3_kms_key_arn) : null

  bucket_objects = [for p in var.s3_prefixes : "${aws_s3_bucket.this.arn}/${p}*"]
  bucket_listing = [for p in var.s3_prefixes : "${p}*"]

  db_secret_arn = aws_db_instance.this.master_user_secret[0].secret_arn
  # sslmode=require: RDS for PostgreSQL 15 and later refuses unencrypted connections (rds.force_ssl, set below too)
  db_url = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.db_name}?sslmode=require"

  cpu_image = "${aws_ecr_repository.this.repository_url}:${var.cpu_image_tag}"
  gpu_image = "${aws_ecr_repository.this.repository_url}:${var.gpu_image_tag}"

  # The settings Sift reads (SiftConfig, SiftMain), the same for the scheduler and every Batch job. Nothing secret
  # here: the password and the hash key are injected from Secrets Manager by ECS (secrets below).
  sift_settings = {
    SIFT_DB_URL        = local.db_url
    SIFT_DB_USER       = var.db_username
    SIFT_S3_BUCKET     = aws_s3_bucket.this.id
    SIFT_S3_REGION     = local.region
    SIFT_S3_EMBEDDED   = "false" # AWS S3 itself, not the in-process S3Proxy
    SIFT_S3_PATH_STYLE = "false" # virtual-hosted addressing, what AWS S3 prefers
    SIFT_HOME          = "/tmp/sift"
    AWS_REGION         = local.region
  }

  # Where the Batch queues and job definitions are, for the scheduler and `sift run --submit` (BatchTarget reads
  # the queues and the run job definitions; the score definition is for a submitter of shards, see below).
  # Job definitions are given without revision, so a submit takes the latest active one.
  batch_settings = {
    SIFT_BATCH_GPU_QUEUE              = aws_batch_job_queue.this["gpu"].arn
    SIFT_BATCH_CPU_QUEUE              = aws_batch_job_queue.this["cpu"].arn
    SIFT_BATCH_RUN_JOB_DEFINITION     = aws_batch_job_definition.this["run"].arn_prefix
    SIFT_BATCH_RUN_CPU_JOB_DEFINITION = aws_batch_job_definition.this["run_cpu"].arn_prefix
    SIFT_BATCH_SCORE_JOB_DEFINITION   = aws_batch_job_definition.this["score"].arn_prefix
  }

  sift_secrets = {
    SIFT_DB_PASSWORD      = "${local.db_secret_arn}:password::"
    SIFT_PRIVACY_HASH_KEY = local.hash_key_secret_arn
  }

  container_environment = [for k, v in local.sift_settings : { name = k, value = v }]
  job_environment = concat(
    local.container_environment,
    var.java_opts == null ? [] : [{ name = "SIFT_JAVA_OPTS", value = var.java_opts }],
  )
  scheduler_environment = concat(
    local.container_environment,
    [for k, v in local.batch_settings : { name = k, value = v }],
    [{ name = "SIFT_JAVA_OPTS", value = var.scheduler_java_opts }],
  )
  container_secrets = [for k, v in local.sift_secrets : { name = k, valueFrom = v }]

  create_hash_key     = var.hash_key_secret_arn == null
  hash_key_secret_arn = local.create_hash_key ? aws_secretsmanager_secret.hash_key[0].arn : var.hash_key_secret_arn

  secret_arns = [local.db_secret_arn, local.hash_key_secret_arn]
}

################################################################################
# S3: datasets, run artefacts and caches (private, encrypted, TLS only, versioned)
################################################################################

resource "aws_kms_key" "s3" {
  count = local.create_s3_kms_key ? 1 : 0

  description             = "${var.name}: S3 bucket encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "s3" {
  count = local.create_s3_kms_key ? 1 : 0

  name          = "alias/${var.name}-s3"
  target_key_id = aws_kms_key.s3[0].key_id
}

resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  bucket_prefix = var.bucket_name == null ? "${var.name}-" : null
  force_destroy = var.bucket_force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.s3_sse_algorithm
      kms_master_key_id = local.s3_kms_key_arn
    }
    bucket_key_enabled = var.s3_sse_algorithm == "aws:kms"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.s3_noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # a bucket policy put before the public access block exists can be refused
  depends_on = [aws_s3_bucket_public_access_block.this]
}

################################################################################
# Network: one security group per kind of client, the database open only to them
################################################################################

locals {
  security_groups = {
    batch     = "AWS Batch instances"
    scheduler = "scheduler (sift serve on ECS Fargate)"
    db        = "PostgreSQL, reachable from the Batch instances and the scheduler only"
  }
  # the clients of the database, each allowed out to HTTPS and PostgreSQL only
  client_security_group_ids = { for k in ["batch", "scheduler"] : k => aws_security_group.this[k].id }
}

resource "aws_security_group" "this" {
  for_each = local.security_groups

  name_prefix = "${var.name}-${each.key}-"
  description = "${var.name}: ${each.value}"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    create_before_destroy = true
  }
}

# Outbound HTTPS for ECR, S3, CloudWatch Logs, Secrets Manager and the Batch API; PostgreSQL to the database.
resource "aws_vpc_security_group_egress_rule" "clients_https" {
  for_each = local.client_security_group_ids

  security_group_id = each.value
  description       = "HTTPS to AWS APIs and ECR"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "clients_db" {
  for_each = local.client_security_group_ids

  security_group_id            = each.value
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.this["db"].id
  tags                         = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "db" {
  for_each = local.client_security_group_ids

  security_group_id            = aws_security_group.this["db"].id
  description                  = "PostgreSQL from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
  tags                         = var.tags
}

################################################################################
# RDS PostgreSQL: private, encrypted, password managed by RDS in Secrets Manager
################################################################################

resource "aws_db_subnet_group" "this" {
  name_prefix = "${var.name}-"
  description = "${var.name}: private subnets"
  subnet_ids  = var.private_subnet_ids
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${var.db_engine_version}-"
  family      = "postgres${var.db_engine_version}"
  description = "${var.name}: TLS only"
  tags        = var.tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.db_kms_key_arn

  db_name                       = var.db_name
  username                      = var.db_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.secrets_kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this["db"].id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.db_multi_az

  backup_retention_period   = var.db_backup_retention_period
  copy_tags_to_snapshot     = true
  deletion_protection       = var.db_deletion_protection
  skip_final_snapshot       = var.db_skip_final_snapshot
  final_snapshot_identifier = var.db_skip_final_snapshot ? null : "${var.name}-final"

  auto_minor_version_upgrade      = true
  allow_major_version_upgrade     = false
  enabled_cloudwatch_logs_exports = ["postgresql"]

  tags = var.tags

  # the log group first, so RDS does not create its own without retention
  depends_on = [aws_cloudwatch_log_group.this]
}

################################################################################
# User-id hash key (SIFT_PRIVACY_HASH_KEY): containers are ephemeral, so the key Sift would otherwise create in
# SIFT_HOME must live outside them, or every job would hash user ids differently. Either an existing secret
# (hash_key_secret_arn: keep the key, and with it every stored hash, of an earlier deployment) or a new, empty
# one that you fill once after apply (README). Terraform never sees the value: it is in no plan and no state,
# and until it is set, ECS refuses to start a task instead of letting Sift invent a key per container.
################################################################################

resource "aws_secretsmanager_secret" "hash_key" {
  count = local.create_hash_key ? 1 : 0

  name_prefix = "${var.name}-hash-key-"
  description = "${var.name}: key of the keyed hash of user ids (SIFT_PRIVACY_HASH_KEY); set its value once, never change it"
  kms_key_id  = var.secrets_kms_key_arn
  tags        = var.tags
}

################################################################################
# ECR: one repository, the CPU (JVM) and GPU images by tag
################################################################################

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = var.ecr_image_tag_mutability
  force_delete         = var.ecr_force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 14 days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 14
      }
      action = { type = "expire" }
    }]
  })
}

################################################################################
# CloudWatch Logs
################################################################################

locals {
  log_group_names = {
    batch     = "/aws/batch/${var.name}"
    scheduler = "/ecs/${var.name}-serve"
    db        = "/aws/rds/instance/${var.name}/postgresql" # the group RDS exports the PostgreSQL log to
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.log_group_names

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = var.tags
}

################################################################################
# AWS Batch: a GPU and a CPU managed compute environment, one queue each
################################################################################

locals {
  compute_environments = {
    gpu = {
      instance_types = var.gpu_instance_types
      capacity       = var.gpu_capacity
      max_vcpus      = var.gpu_max_vcpus
      ami_type       = var.gpu_ami_type
    }
    cpu = {
      instance_types = var.cpu_instance_types
      capacity       = var.cpu_capacity
      max_vcpus      = var.cpu_max_vcpus
      ami_type       = var.cpu_ami_type
    }
  }
}

# Instance metadata only with IMDSv2 tokens, one hop: the ECS agent on the host reads it, a job's container (bridge
# network, one hop further) cannot, so a job holds its job role and not the instance role's ECS and ECR rights.
# Sift's containers need no metadata: credentials come from the job role, the region from AWS_REGION.
resource "aws_launch_template" "batch" {
  name_prefix = "${var.name}-batch-"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  tags = var.tags
}

resource "aws_batch_compute_environment" "this" {
  for_each = local.compute_environments

  compute_environment_name_prefix = "${var.name}-${each.key}-"
  type                            = "MANAGED"
  # no service_role: Batch uses its service-linked role, which also allows in-place updates of the environment

  compute_resources {
    type                = each.value.capacity == "SPOT" ? "SPOT" : "EC2"
    allocation_strategy = each.value.capacity == "SPOT" ? var.spot_allocation_strategy : "BEST_FIT_PROGRESSIVE"
    bid_percentage      = each.value.capacity == "SPOT" ? var.spot_bid_percentage : null
    instance_type       = each.value.instance_types
    min_vcpus           = 0
    max_vcpus           = each.value.max_vcpus
    instance_role       = aws_iam_instance_profile.batch_instance.arn
    subnets             = var.private_subnet_ids
    security_group_ids  = [aws_security_group.this["batch"].id]

    ec2_configuration {
      image_type = each.value.ami_type
    }

    launch_template {
      launch_template_id = aws_launch_template.batch.id
      version            = aws_launch_template.batch.latest_version
    }

    tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_batch_job_queue" "this" {
  for_each = aws_batch_compute_environment.this

  name     = "${var.name}-${each.key}"
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = each.value.arn
  }

  tags = var.tags
}

################################################################################
# AWS Batch job definitions. The images' entry point is the `sift` launcher (src/main/docker), so a command is
# its arguments: `resume RUN`, never `sift resume RUN` (that ran `sift sift resume`, an unknown command, exit 2,
# before stop 59). The submitter (the scheduler, or `sift run --submit`) sends `resume RUN` in containerOverrides;
# the command here is the template, with the Batch parameter Ref::run. NAME-score, for a submitter of one shard
# per array child: `resume RUN --only-stage score`, submitted with arrayProperties.size = N and
# AWS_BATCH_JOB_ARRAY_SIZE = N in containerOverrides.environment (Batch sets only AWS_BATCH_JOB_ARRAY_INDEX; a
# child without the size scores the whole pool). Sift itself submits whole runs to NAME-run and NAME-run-cpu.
################################################################################

locals {
  job_definitions = {
    run = {
      image   = local.gpu_image
      command = ["resume", "Ref::run"]
      vcpus   = var.run_job_vcpus
      memory  = var.run_job_memory_mib
      gpus    = 1
    }
    run_cpu = {
      image   = local.cpu_image
      command = ["resume", "Ref::run"]
      vcpus   = var.cpu_job_vcpus
      memory  = var.cpu_job_memory_mib
      gpus    = 0
    }
    score = {
      image   = var.score_job_gpus > 0 ? local.gpu_image : local.cpu_image
      command = ["resume", "Ref::run", "--only-stage", "score"]
      vcpus   = var.score_job_vcpus
      memory  = var.score_job_memory_mib
      gpus    = var.score_job_gpus
    }
  }
}

resource "aws_batch_job_definition" "this" {
  for_each = local.job_definitions

  name                  = "${var.name}-${replace(each.key, "_", "-")}"
  type                  = "container"
  platform_capabilities = ["EC2"]
  propagate_tags        = true
  container_properties = jsonencode({
    image            = each.value.image
    command          = each.value.command
    jobRoleArn       = aws_iam_role.batch_job.arn
    executionRoleArn = aws_iam_role.execution["batch"].arn
    resourceRequirements = concat(
      [
        { type = "VCPU", value = tostring(each.value.vcpus) },
        { type = "MEMORY", value = tostring(each.value.memory) },
      ],
      each.value.gpus > 0 ? [{ type = "GPU", value = tostring(each.value.gpus) }] : [],
    )
    environment = local.job_environment
    secrets     = local.container_secrets
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this["batch"].name
        awslogs-region        = local.region
        awslogs-stream-prefix = replace(each.key, "_", "-")
      }
    }
  })

  retry_strategy {
    attempts = var.job_attempts

    # spot reclaim or a lost host: the attempt is retried; a stage restarts from its last committed state, and a
    # retried score child re-scores its own shard (Sift replaces that shard's rows, never duplicates them)
    evaluate_on_exit {
      on_status_reason = "Host EC2*"
      action           = "RETRY"
    }

    # any other failure is Sift's own answer (bad input, exit code 2 or 3): retrying would repeat it
    evaluate_on_exit {
      on_reason = "*"
      action    = "EXIT"
    }
  }

  timeout {
    attempt_duration_seconds = var.job_timeout_seconds
  }

  tags = var.tags
}

################################################################################
# Scheduler: one always-on `sift serve` on ECS Fargate (Quartz, clustered in PostgreSQL, so a second task during a
# deployment is safe)
################################################################################

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_ecs_task_definition" "scheduler" {
  family                   = "${var.name}-serve"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.scheduler_cpu
  memory                   = var.scheduler_memory_mib
  execution_role_arn       = aws_iam_role.execution["scheduler"].arn
  task_role_arn            = aws_iam_role.scheduler_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name        = "sift-serve"
    image       = local.cpu_image
    command     = var.scheduler_command
    essential   = true
    environment = local.scheduler_environment
    # read by ECS from Secrets Manager when the task starts; never in the task definition itself
    secrets = local.container_secrets
    # SIGTERM first: Sift marks its running stage INTERRUPTED, and another node resumes it
    stopTimeout = 60
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this["scheduler"].name
        awslogs-region        = local.region
        awslogs-stream-prefix = "serve"
      }
    }
  }])

  tags = var.tags
}

resource "aws_ecs_service" "scheduler" {
  name            = "${var.name}-serve"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.scheduler.arn
  desired_count   = var.scheduler_desired_count
  launch_type     = "FARGATE"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.this["scheduler"].id]
    assign_public_ip = false
  }

  propagate_tags = "SERVICE"
  tags           = var.tags
}

################################################################################
# IAM: one role per job to do, each limited to its bucket prefixes, its queues, its secrets, its log group
################################################################################

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# Batch instances: the ECS agent's role (register the instance, report task state). AWS's managed policy is the
# documented minimum for it; the jobs themselves get their own role below.
resource "aws_iam_role" "batch_instance" {
  name_prefix        = "${var.name}-batch-instance-"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "batch_instance" {
  role       = aws_iam_role.batch_instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "batch_instance" {
  name_prefix = "${var.name}-batch-instance-"
  role        = aws_iam_role.batch_instance.name
  tags        = var.tags
}

# Decrypting the secrets, where they use a customer managed key: added to every policy that reads them.
data "aws_iam_policy_document" "secrets_key" {
  count = var.secrets_kms_key_arn == null ? 0 : 1

  statement {
    sid       = "SecretsKey"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

# Execution roles: what ECS does before the container starts (pull the image, read the secrets, write the logs),
# one for the Batch jobs and one for the scheduler, each writing to its own log group.
locals {
  execution_role_name_prefixes = {
    batch     = "batch-exec"
    scheduler = "serve-exec"
  }
}

data "aws_iam_policy_document" "execution" {
  for_each = local.execution_role_name_prefixes

  source_policy_documents = data.aws_iam_policy_document.secrets_key[*].json

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # this action has no resource-level permissions
  }

  statement {
    sid       = "EcrPull"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.this.arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.secret_arns
  }
}

resource "aws_iam_role" "execution" {
  for_each = local.execution_role_name_prefixes

  name_prefix        = "${var.name}-${each.value}-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  for_each = aws_iam_role.execution

  name   = "execution"
  role   = each.value.id
  policy = data.aws_iam_policy_document.execution[each.key].json
}

# S3 access by level, on the bucket's Sift prefixes only. HeadBucket (Sift checks the bucket at start) needs
# s3:ListBucket without a prefix, hence IfExists; a listing with a prefix must stay inside the Sift prefixes.
locals {
  s3_actions = {
    none       = []
    read       = ["s3:GetObject"]
    read-write = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
  }
  kms_actions = {
    none       = []
    read       = ["kms:Decrypt"]
    read-write = ["kms:Decrypt", "kms:GenerateDataKey"]
  }
  s3_access = {
    batch_job = "read-write"
    scheduler = var.scheduler_s3_access
  }
}

data "aws_iam_policy_document" "s3" {
  for_each = { for k, v in local.s3_access : k => v if v != "none" }

  statement {
    sid       = "Bucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]

    condition {
      test     = "StringLikeIfExists"
      variable = "s3:prefix"
      values   = local.bucket_listing
    }
  }

  statement {
    sid       = "Objects"
    actions   = local.s3_actions[each.value]
    resources = local.bucket_objects
  }

  dynamic "statement" {
    for_each = local.s3_kms_key_arn == null ? [] : [local.s3_kms_key_arn]

    content {
      sid       = "BucketKey"
      actions   = local.kms_actions[each.value]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }
}

# Batch jobs: read and write the Sift prefixes of the bucket; nothing else (the database is reached over the
# network with the password from the execution role's secrets).
resource "aws_iam_role" "batch_job" {
  name_prefix        = "${var.name}-batch-job-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "batch_job_s3" {
  name   = "s3"
  role   = aws_iam_role.batch_job.id
  policy = data.aws_iam_policy_document.s3["batch_job"].json
}

# Scheduler: submit to its own queues with its own job definitions, follow the jobs, read its database secret
# (RDS rotates the managed password; ECS injects it only at task start, so Sift can re-read it after a rotation).
data "aws_iam_policy_document" "scheduler_task" {
  source_policy_documents = data.aws_iam_policy_document.secrets_key[*].json

  statement {
    sid     = "SubmitToOwnQueues"
    actions = ["batch:SubmitJob"]
    resources = concat(
      [for q in aws_batch_job_queue.this : q.arn],
      # each definition with and without revision: a submit may name either
      flatten([for d in aws_batch_job_definition.this : [d.arn_prefix, "${d.arn_prefix}:*"]]),
    )
  }

  # SubmitJob tags the job (sift-run, sift-retry-of; JobRequests), and tagging on create is authorised as
  # batch:TagResource on the job
  statement {
    sid       = "TagOwnJobs"
    actions   = ["batch:TagResource"]
    resources = ["arn:${local.partition}:batch:${local.region}:${local.account_id}:job/*"]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["sift-run", "sift-retry-of"]
    }
  }

  statement {
    sid       = "FollowJobs"
    actions   = ["batch:DescribeJobs"] # the one call JobFollower makes; it has no resource-level permissions
    resources = ["*"]
  }

  statement {
    sid       = "DatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [local.db_secret_arn]
  }
}

resource "aws_iam_role" "scheduler_task" {
  name_prefix        = "${var.name}-serve-task-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "scheduler_task" {
  name   = "batch-and-secret"
  role   = aws_iam_role.scheduler_task.id
  policy = data.aws_iam_policy_document.scheduler_task.json
}

# The shop's own data, read where it is (dataset.path, dataset.items, validation, test and utility files,
# model.source as s3:// addresses in other buckets or prefixes): by the jobs that ingest it, and by the scheduler,
# which checks a scheduled workflow's files before a firing is submitted. None by default.
locals {
  input_buckets  = distinct([for a in var.input_s3_arns : split("/", a)[0]])
  input_prefixes = [for a in var.input_s3_arns : join("/", slice(split("/", a), 1, length(split("/", a))))]
}

data "aws_iam_policy_document" "inputs" {
  count = length(var.input_s3_arns) == 0 ? 0 : 1

  statement {
    sid       = "InputBuckets"
    actions   = ["s3:ListBucket"]
    resources = local.input_buckets

    condition {
      test     = "StringLikeIfExists"
      variable = "s3:prefix"
      values   = local.input_prefixes
    }
  }

  statement {
    sid       = "InputObjects"
    actions   = ["s3:GetObject"]
    resources = var.input_s3_arns
  }

  dynamic "statement" {
    for_each = length(var.input_kms_key_arns) == 0 ? [] : [var.input_kms_key_arns]

    content {
      sid       = "InputKeys"
      actions   = ["kms:Decrypt"]
      resources = statement.value

      condition {
        test     = "StringLike"
        variable = "kms:ViaService"
        values   = ["s3.*.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "inputs" {
  for_each = length(var.input_s3_arns) == 0 ? {} : { batch_job = aws_iam_role.batch_job.id, scheduler = aws_iam_role.scheduler_task.id }

  name   = "inputs"
  role   = each.value
  policy = data.aws_iam_policy_document.inputs[0].json
}

resource "aws_iam_role_policy" "scheduler_task_s3" {
  count = var.scheduler_s3_access == "none" ? 0 : 1

  name   = "s3"
  role   = aws_iam_role.scheduler_task.id
  policy = data.aws_iam_policy_document.s3["scheduler"].json
}
