################################################################################
# General
################################################################################

variable "name" {
  description = "Name given to every resource (and prefix of the Batch job definitions: NAME-run, NAME-score)"
  type        = string
  default     = "sift"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name: 2 to 20 characters (IAM role name prefixes are short), lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource"
  type        = map(string)
  default     = {}
}

################################################################################
# Network (the VPC is not created here; see examples/complete for one)
################################################################################

variable "vpc_id" {
  description = "VPC that holds the database, the Batch instances and the scheduler"
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two, in two availability zones) for RDS, the Batch instances and the scheduler. They need a route to ECR, S3, CloudWatch Logs, Secrets Manager and the Batch API (a NAT gateway or VPC endpoints)"
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids: RDS needs subnets in at least two availability zones."
  }
}

################################################################################
# S3
################################################################################

variable "bucket_name" {
  description = "Name of the bucket for datasets and run artefacts (SIFT_S3_BUCKET); null: a unique name starting with NAME-"
  type        = string
  default     = null
}

variable "bucket_force_destroy" {
  description = "Let terraform destroy delete a bucket that still holds objects"
  type        = bool
  default     = false
}

variable "s3_sse_algorithm" {
  description = "Default encryption of the bucket: aws:kms (a customer managed key, created unless s3_kms_key_arn is given) or AES256 (S3 managed keys)"
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.s3_sse_algorithm)
    error_message = "s3_sse_algorithm: aws:kms or AES256."
  }
}

variable "s3_kms_key_arn" {
  description = "Existing KMS key for the bucket when s3_sse_algorithm is aws:kms; null: one is created"
  type        = string
  default     = null
}

variable "s3_prefixes" {
  description = "Key prefixes Sift writes (store/RunLayout.java); the Batch job role may touch only these"
  type        = list(string)
  default     = ["datasets/", "runs/", "cache/"]

  validation {
    condition     = alltrue([for p in var.s3_prefixes : can(regex("^[A-Za-z0-9._-]+/$", p))])
    error_message = "s3_prefixes: each one a single folder name ending in a slash, such as runs/."
  }
}

variable "s3_noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept (the bucket is versioned)"
  type        = number
  default     = 30
}

################################################################################
# RDS PostgreSQL
################################################################################

variable "db_engine_version" {
  description = "PostgreSQL major version (RDS picks its default minor version)"
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^1[4-9]$", var.db_engine_version))
    error_message = "db_engine_version: a major version, 14 or later, such as 16."
  }
}

variable "db_instance_class" {
  description = "RDS instance class"
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB"
  type        = number
  default     = 20
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling limit in GiB (0 turns autoscaling off)"
  type        = number
  default     = 200
}

variable "db_name" {
  description = "Database created on the instance"
  type        = string
  default     = "sift"
}

variable "db_username" {
  description = "Master user name (SIFT_DB_USER); its password is generated and kept by RDS in Secrets Manager"
  type        = string
  default     = "sift"
}

variable "db_multi_az" {
  description = "Run a standby in a second availability zone"
  type        = bool
  default     = false
}

variable "db_backup_retention_period" {
  description = "Days of automated backups"
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database (set false before terraform destroy)"
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the database is deleted"
  type        = bool
  default     = false
}

variable "db_kms_key_arn" {
  description = "KMS key for the database storage; null: the AWS managed key aws/rds (storage is encrypted either way)"
  type        = string
  default     = null
}

variable "secrets_kms_key_arn" {
  description = "KMS key for the managed database password and the hash-key secret; null: the AWS managed key aws/secretsmanager"
  type        = string
  default     = null
}

variable "hash_key_secret_arn" {
  description = "Existing plain-text secret holding the user-id hash key (SIFT_PRIVACY_HASH_KEY), to keep the key, and so every stored hash, of an earlier deployment; null: a new empty secret is created, to be filled once after apply"
  type        = string
  default     = null
}

################################################################################
# ECR
################################################################################

variable "ecr_image_tag_mutability" {
  description = "IMMUTABLE (a tag, once pushed, always names the same image) or MUTABLE"
  type        = string
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["IMMUTABLE", "MUTABLE"], var.ecr_image_tag_mutability)
    error_message = "ecr_image_tag_mutability: IMMUTABLE or MUTABLE."
  }
}

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the repository while it holds images"
  type        = bool
  default     = false
}

variable "cpu_image_tag" {
  description = "Tag of the JVM (CPU) image in the repository, used by the scheduler and the CPU job definitions, such as jvm-0.1.0 (with immutable tags, one tag per release)"
  type        = string
}

variable "gpu_image_tag" {
  description = "Tag of the GPU image (CUDA libtorch) in the repository, used by the GPU job definitions, such as gpu-0.1.0"
  type        = string
}

################################################################################
# AWS Batch
################################################################################

variable "gpu_instance_types" {
  description = "Instance types of the GPU compute environment (g5 or g6 family: g5, g6, g6e)"
  type        = list(string)
  default     = ["g5.xlarge", "g5.2xlarge", "g6.xlarge", "g6.2xlarge"]

  validation {
    condition     = length(var.gpu_instance_types) > 0 && alltrue([for t in var.gpu_instance_types : can(regex("^g(5|6|6e)(\\.[a-z0-9]+)?$", t))])
    error_message = "gpu_instance_types: g5, g6 or g6e types or families, such as g5.xlarge or g6."
  }
}

variable "gpu_capacity" {
  description = "SPOT or ON_DEMAND instances for the GPU compute environment"
  type        = string
  default     = "SPOT"

  validation {
    condition     = contains(["SPOT", "ON_DEMAND"], var.gpu_capacity)
    error_message = "gpu_capacity: SPOT or ON_DEMAND."
  }
}

variable "cpu_instance_types" {
  description = "Instance types or families of the CPU compute environment"
  type        = list(string)
  default     = ["m6i", "c6i", "r6i"]
}

variable "cpu_capacity" {
  description = "SPOT or ON_DEMAND instances for the CPU compute environment"
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["SPOT", "ON_DEMAND"], var.cpu_capacity)
    error_message = "cpu_capacity: SPOT or ON_DEMAND."
  }
}

variable "spot_allocation_strategy" {
  description = "Allocation strategy of a SPOT compute environment (on-demand ones use BEST_FIT_PROGRESSIVE)"
  type        = string
  default     = "SPOT_PRICE_CAPACITY_OPTIMIZED"

  validation {
    condition     = contains(["SPOT_PRICE_CAPACITY_OPTIMIZED", "SPOT_CAPACITY_OPTIMIZED"], var.spot_allocation_strategy)
    error_message = "spot_allocation_strategy: SPOT_PRICE_CAPACITY_OPTIMIZED or SPOT_CAPACITY_OPTIMIZED (BEST_FIT would need a spot fleet role)."
  }
}

variable "spot_bid_percentage" {
  description = "Highest spot price as a percentage of the on-demand price"
  type        = number
  default     = 100
}

variable "gpu_ami_type" {
  description = "Batch image type of the GPU compute environment (ECS_AL2023_NVIDIA, or ECS_AL2_NVIDIA until AWS retires it)"
  type        = string
  default     = "ECS_AL2023_NVIDIA"
}

variable "cpu_ami_type" {
  description = "Batch image type of the CPU compute environment"
  type        = string
  default     = "ECS_AL2023"
}

variable "gpu_max_vcpus" {
  description = "Most vCPUs the GPU compute environment may run at once (g5.xlarge: 4 vCPUs, 1 GPU)"
  type        = number
  default     = 32
}

variable "cpu_max_vcpus" {
  description = "Most vCPUs the CPU compute environment may run at once"
  type        = number
  default     = 64
}

variable "run_job_vcpus" {
  description = "vCPUs of one NAME-run (GPU) job"
  type        = number
  default     = 4
}

variable "run_job_memory_mib" {
  description = "Memory of one NAME-run (GPU) job in MiB (a g5.xlarge leaves about 15 GiB to containers)"
  type        = number
  default     = 14336
}

variable "cpu_job_vcpus" {
  description = "vCPUs of one NAME-run-cpu job"
  type        = number
  default     = 2
}

variable "cpu_job_memory_mib" {
  description = "Memory of one NAME-run-cpu job in MiB"
  type        = number
  default     = 7168
}

variable "score_job_gpus" {
  description = "GPUs per NAME-score array child; 0 runs scoring on the CPU image and queue"
  type        = number
  default     = 1

  validation {
    condition     = var.score_job_gpus >= 0 && floor(var.score_job_gpus) == var.score_job_gpus
    error_message = "score_job_gpus: a whole number, 0 or more."
  }
}

variable "score_job_vcpus" {
  description = "vCPUs of one NAME-score array child"
  type        = number
  default     = 4
}

variable "score_job_memory_mib" {
  description = "Memory of one NAME-score array child in MiB"
  type        = number
  default     = 14336
}

variable "job_attempts" {
  description = "Attempts per Batch job; only spot interruptions and host failures (status reason Host EC2*) are retried, any other failure exits at once"
  type        = number
  default     = 3

  validation {
    condition     = var.job_attempts >= 1 && var.job_attempts <= 10
    error_message = "job_attempts: 1 to 10 (the Batch limit)."
  }
}

variable "job_timeout_seconds" {
  description = "Longest one attempt of a Batch job may run"
  type        = number
  default     = 86400
}

variable "java_opts" {
  description = "SIFT_JAVA_OPTS for the Batch jobs (heap size, ...); null: none set"
  type        = string
  default     = null
}

################################################################################
# Scheduler (sift serve on ECS Fargate)
################################################################################

variable "scheduler_desired_count" {
  description = "Running scheduler tasks: 1 (Quartz is clustered, so more would share the firings); 0 stops it"
  type        = number
  default     = 1
}

variable "scheduler_cpu" {
  description = "Fargate CPU units of the scheduler task"
  type        = number
  default     = 512
}

variable "scheduler_memory_mib" {
  description = "Fargate memory of the scheduler task in MiB"
  type        = number
  default     = 2048
}

variable "scheduler_command" {
  description = "Command of the scheduler container: the sift launcher's arguments (the image's entry point is the launcher)"
  type        = list(string)
  default     = ["serve"]
}

variable "scheduler_java_opts" {
  description = "SIFT_JAVA_OPTS of the scheduler (the launcher's default heap, 4 GiB, would not fit the task)"
  type        = string
  default     = "-Xmx1g"
}

variable "input_s3_arns" {
  description = "S3 object ARNs of the shop's own data that workflows read in place (dataset.path, dataset.items, the split files, model.source as s3:// addresses outside Sift's bucket), for example [\"arn:aws:s3:::shop-exports/search/*\"]: GetObject for the Batch jobs and the scheduler, ListBucket on their buckets under those prefixes. Empty: only Sift's own bucket."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.input_s3_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+", a))])
    error_message = "input_s3_arns: object ARNs, arn:aws:s3:::BUCKET/PREFIX* (a bucket ARN alone grants no object)."
  }
}

variable "input_kms_key_arns" {
  description = "KMS keys that encrypt the objects of input_s3_arns (SSE-KMS): kms:Decrypt through S3 for the same roles."
  type        = list(string)
  default     = []
}

variable "scheduler_s3_access" {
  description = "What the scheduler's role may do in the bucket prefixes: none, read (history pages, reports) or read-write (runs with execution: local on the scheduler itself)"
  type        = string
  default     = "read"

  validation {
    condition     = contains(["none", "read", "read-write"], var.scheduler_s3_access)
    error_message = "scheduler_s3_access: none, read or read-write."
  }
}

################################################################################
# CloudWatch Logs
################################################################################

variable "log_retention_days" {
  description = "Days the Batch job, scheduler and PostgreSQL logs are kept"
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "logs_kms_key_arn" {
  description = "KMS key for the log groups; null: CloudWatch Logs' own encryption"
  type        = string
  default     = null
}
