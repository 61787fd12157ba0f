variable "region" {
  description = "AWS region to deploy to (one with g5 or g6 instances)"
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the deployment"
  type        = string
  default     = "sift"
}

variable "vpc_cidr" {
  description = "Address range of the VPC created for the example"
  type        = string
  default     = "10.42.0.0/16"
}

variable "image_version" {
  description = "Version of the Sift images pushed to the repository (tags jvm-VERSION and gpu-VERSION)"
  type        = string
  default     = "0.1.0"
}
