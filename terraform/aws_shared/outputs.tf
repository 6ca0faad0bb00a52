# These outputs feed the interview modules (inventories/<env>/group_vars: interview_*).

output "ecs_cluster_name" {
  description = "ECS cluster the interview services run in."
  value       = aws_ecs_cluster.interviews.name
}

output "ecs_cluster_arn" {
  description = "ARN of the interview ECS cluster."
  value       = aws_ecs_cluster.interviews.arn
}

output "listener_arn" {
  description = "ALB listener that gets one host-header rule per interview."
  value       = aws_lb_listener.interviews.arn
}

output "alb_dns_name" {
  description = "DNS name of the interview load balancer."
  value       = aws_lb.interviews.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the load balancer, for Route53 alias records."
  value       = aws_lb.interviews.zone_id
}

output "hosted_zone_id" {
  description = "Route53 zone that gets <interview-id>.<domain> records."
  value       = aws_route53_zone.interviews.zone_id
}

output "domain_name" {
  description = "Domain of the interview URLs."
  value       = var.domain_name
}

output "vpc_id" {
  description = "VPC of the shared infrastructure."
  value       = aws_vpc.main.id
}

output "public_subnet_ids" {
  description = "Subnets of the load balancer."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Subnets the interview tasks run in."
  value       = aws_subnet.private[*].id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "code_server_security_group_id" {
  description = "Security group of the interview tasks."
  value       = aws_security_group.code_server.id
}

output "bucket_names" {
  description = "S3 buckets: templates, challenges, workspaces."
  value       = { for key, bucket in aws_s3_bucket.this : key => bucket.bucket }
}

output "log_group_name" {
  description = "CloudWatch log group of the interview tasks."
  value       = aws_cloudwatch_log_group.interviews.name
}

output "task_execution_role_arn" {
  description = "Execution role of the interview task definitions."
  value       = aws_iam_role.task_execution.arn
}

output "task_role_arn" {
  description = "Task role of code-server."
  value       = aws_iam_role.task.arn
}

output "ssm_prefix" {
  description = "SSM path under which interview passwords and settings live."
  value       = "/${var.project_name}/${var.environment}/interviews"
}
