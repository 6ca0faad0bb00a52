# Shared infrastructure of seed 001, made once per environment. The per-interview pieces
# (ECS service, target group, listener rule, DNS record, SSM password) are made on demand by
# interviewops.platform.interview_service from the outputs of this stack.

resource "aws_ecs_cluster" "interviews" {
  name = "${local.name}-interviews"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "interviews" {
  cluster_name       = aws_ecs_cluster.interviews.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "interviews" {
  name              = "/ecs/${local.name}/interviews"
  retention_in_days = var.log_retention_days
}

resource "aws_lb" "interviews" {
  name               = substr("${local.name}-alb", 0, 32)
  load_balancer_type = "application"
  internal           = false
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id
  idle_timeout       = 3600 # code-server keeps long-lived websockets
}

# Listener whose rules (one host-header rule per interview) route to interview services.
# Requests that match no interview get a plain 404.
resource "aws_lb_listener" "interviews" {
  load_balancer_arn = aws_lb.interviews.arn
  port              = var.certificate_arn == null ? 80 : 443
  protocol          = var.certificate_arn == null ? "HTTP" : "HTTPS"
  certificate_arn   = var.certificate_arn
  ssl_policy        = var.certificate_arn == null ? null : "ELBSecurityPolicy-TLS13-1-2-2021-06"

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "no such interview"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener" "http_redirect" {
  count             = var.certificate_arn == null ? 0 : 1
  load_balancer_arn = aws_lb.interviews.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_route53_zone" "interviews" {
  name = var.domain_name
}

resource "aws_route53_record" "wildcard" {
  zone_id = aws_route53_zone.interviews.zone_id
  name    = "*.${var.domain_name}"
  type    = "A"

  alias {
    name                   = aws_lb.interviews.dns_name
    zone_id                = aws_lb.interviews.zone_id
    evaluate_target_health = false
  }
}
