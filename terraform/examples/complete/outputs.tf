output "sift_db_url" {
  description = "SIFT_DB_URL"
  value       = module.sift.sift_db_url
}

output "sift_db_user" {
  description = "SIFT_DB_USER"
  value       = module.sift.sift_db_user
}

output "sift_db_password_secret_arn" {
  description = "Where SIFT_DB_PASSWORD comes from (JSON key \"password\"); never the password itself"
  value       = module.sift.sift_db_password_secret_arn
}

output "sift_s3_bucket" {
  description = "SIFT_S3_BUCKET"
  value       = module.sift.sift_s3_bucket
}

output "sift_s3_region" {
  description = "SIFT_S3_REGION"
  value       = module.sift.sift_s3_region
}

output "sift_privacy_hash_key_secret_arn" {
  description = "Where SIFT_PRIVACY_HASH_KEY comes from; never the key itself"
  value       = module.sift.sift_privacy_hash_key_secret_arn
}

output "sift_environment" {
  description = "Every non-secret setting given to the containers"
  value       = module.sift.sift_environment
}

output "sift_secrets" {
  description = "Secret settings (name -> Secrets Manager reference); references only, no values"
  value       = module.sift.sift_secrets
}

output "sift_batch_gpu_queue" {
  description = "GPU job queue ARN"
  value       = module.sift.sift_batch_gpu_queue
}

output "sift_batch_cpu_queue" {
  description = "CPU job queue ARN"
  value       = module.sift.sift_batch_cpu_queue
}

output "sift_batch_run_job_definition" {
  description = "GPU run job definition ARN (no revision)"
  value       = module.sift.sift_batch_run_job_definition
}

output "sift_batch_run_cpu_job_definition" {
  description = "SIFT_BATCH_RUN_CPU_JOB_DEFINITION"
  value       = module.sift.sift_batch_run_cpu_job_definition
}

output "sift_batch_score_job_definition" {
  description = "Score array-job definition ARN (no revision)"
  value       = module.sift.sift_batch_score_job_definition
}

output "ecr_repository_url" {
  description = "Push the images here"
  value       = module.sift.ecr_repository_url
}

output "scheduler_service_name" {
  description = "ECS service running sift serve"
  value       = module.sift.scheduler_service_name
}
