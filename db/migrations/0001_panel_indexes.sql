DROP INDEX `check_ins_counterpart`;--> statement-breakpoint
CREATE INDEX `check_ins_counterpart` ON `check_ins` (`account_id`,`counterpart_address`,`status`,`due_at`,`id`);--> statement-breakpoint
DROP INDEX `commitments_counterpart`;--> statement-breakpoint
CREATE INDEX `commitments_counterpart` ON `commitments` (`account_id`,`counterpart_address`,`sent_at`,`id`);