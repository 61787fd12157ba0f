################################################################################
# The settings Sift reads, named after them (SIFT_DB_URL -> sift_db_url). None holds a secret: the database
# password and the hash key stay in Secrets Manager, and only their ARNs are given here.
################################################################################

output "sift_db_url" {
  description = "SIFT_DB_URL: JDBC URL of the RDS PostgreSQL database"
  value       = local.db_url
}

output "sift_db_user" {
  description = "SIFT_DB_USER"
  value       = var.db_username
}

output "sift_db_password_secret_arn" {
  description = "Where SIFT_DB_PASSWORD comes from: the RDS-managed secret (JSON key \"password\"). The password itself is never an output"
  value       = local.db_secret_arn
}

output "sift_s3_bucket" {
  description = "SIFT_S3_BUCKET"
  value       = aws_s3_bucket.this.id
}

output "sift_s3_region" {
  description = "SIFT_S3_REGION"
  value       = local.region
}

output "sift_s3_embedded" {
  description = "SIFT_S3_EMBEDDED: false, AWS S3 itself"
  value       = local.sift_settings.SIFT_S3_EMBEDDED
}

output "sift_s3_path_style" {
  description = "SIFT_S3_PATH_STYLE"
  value       = local.sift_settings.SIFT_S3_PATH_STYLE
}

output "sift_privacy_hash_key_secret_arn" {
  description = "Where SIFT_PRIVACY_HASH_KEY comes from (a plain-text secret). The key itself is never an output"
  value       = local.hash_key_secret_arn
}

output "sift_environment" {
  description = "Every non-secret setting given to the containers (SIFT_* name -> value), Batch queues and job definitions included"
  value       = merge(local.sift_settings, local.batch_settings)
}

output "sift_secrets" {
  description = "Secret settings (name -> Secrets Manager reference, as ECS valueFrom); references only, no values"
  value       = local.sift_secrets
}

################################################################################
# AWS Batch
################################################################################

output "sift_batch_gpu_queue" {
  description = "ARN of the GPU job queue (SIFT_BATCH_GPU_QUEUE)"
  value       = local.batch_settings.SIFT_BATCH_GPU_QUEUE
}

output "sift_batch_cpu_queue" {
  description = "ARN of the CPU job queue (SIFT_BATCH_CPU_QUEUE)"
  value       = local.batch_settings.SIFT_BATCH_CPU_QUEUE
}

output "sift_batch_run_job_definition" {
  description = "ARN, without revision, of the GPU job definition NAME-run (SIFT_BATCH_RUN_JOB_DEFINITION)"
  value       = local.batch_settings.SIFT_BATCH_RUN_JOB_DEFINITION
}

output "sift_batch_run_cpu_job_definition" {
  description = "ARN, without revision, of the CPU job definition NAME-run-cpu (SIFT_BATCH_RUN_CPU_JOB_DEFINITION)"
  value       = local.batch_settings.SIFT_BATCH_RUN_CPU_JOB_DEFINITION
}

output "sift_batch_score_job_definition" {
  description = "ARN, without revision, of the array-job definition NAME-score (SIFT_BATCH_SCORE_JOB_DEFINITION)"
  value       = local.batch_settings.SIFT_BATCH_SCORE_JOB_DEFINITION
}

output "batch_compute_environment_arns" {
  description = "ARNs of the compute environments (gpu, cpu)"
  value       = { for k, ce in aws_batch_compute_environment.this : k => ce.arn }
}

################################################################################
# Images, scheduler, logs, database, network
################################################################################

output "ecr_repository_url" {
  description = "Push the images here, tagged cpu_image_tag and gpu_image_tag"
  value       = aws_ecr_repository.this.repository_url
}

output "scheduler_cluster_name" {
  description = "ECS cluster of the scheduler"
  value       = aws_ecs_cluster.this.name
}

output "scheduler_service_name" {
  description = "ECS service running sift serve"
  value       = aws_ecs_service.scheduler.name
}

output "log_group_names" {
  description = "CloudWatch log groups (batch, scheduler, db)"
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "db_instance_identifier" {
  description = "RDS instance identifier"
  value       = aws_db_instance.this.identifier
}

output "security_group_ids" {
  description = "Security groups (batch, scheduler, db)"
  value       = { for k, g in aws_security_group.this : k => g.id }
}

output "iam_role_arns" {
  description = "IAM roles (batch_instance, batch_execution, batch_job, scheduler_execution, scheduler_task)"
  value = {
    batch_instance      = aws_iam_role.batch_instance.arn
    batch_execution     = aws_iam_role.execution["batch"].arn
    batch_job           = aws_iam_role.batch_job.arn
    scheduler_execution = aws_iam_role.execution["scheduler"].arn
    scheduler_task      = aws_iam_role.scheduler_task.arn
  }
}

output "s3_bucket_arn" {
  description = "ARN of the bucket"
  value       = aws_s3_bucket.this.arn
}
