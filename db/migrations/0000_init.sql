CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`tenant_id` text NOT NULL,
	`subject` text NOT NULL,
	`email` text,
	`display_name` text,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`locale` text DEFAULT 'en-GB' NOT NULL,
	`work_days` text NOT NULL,
	`day_start` text DEFAULT '09:00' NOT NULL,
	`day_end` text DEFAULT '17:30' NOT NULL,
	`settings` text NOT NULL,
	`addresses` text NOT NULL,
	`feed_token` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_identity` ON `accounts` (`provider`,`tenant_id`,`subject`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_feed` ON `accounts` (`feed_token`);--> statement-breakpoint
CREATE TABLE `check_ins` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`counterpart_address` text NOT NULL,
	`counterpart_name` text,
	`subject` text NOT NULL,
	`note` text,
	`commitment_id` text,
	`thread_id` text,
	`due_at` integer NOT NULL,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `check_ins_account` ON `check_ins` (`account_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `check_ins_counterpart` ON `check_ins` (`account_id`,`counterpart_address`);--> statement-breakpoint
CREATE TABLE `commitment_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`commitment_id` text NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`detail` text NOT NULL,
	FOREIGN KEY (`commitment_id`) REFERENCES `commitments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `history_commitment` ON `commitment_history` (`commitment_id`,`at`);--> statement-breakpoint
CREATE TABLE `commitments` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`thread_id` text NOT NULL,
	`message_id` text NOT NULL,
	`internet_message_id` text,
	`counterpart_address` text NOT NULL,
	`counterpart_name` text,
	`counterparts` text NOT NULL,
	`subject` text NOT NULL,
	`sentence` text NOT NULL,
	`trigger` text,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL,
	`due_date` text NOT NULL,
	`due_stated` integer NOT NULL,
	`status` text NOT NULL,
	`snoozed_until` integer,
	`chased_at` integer,
	`chase_count` integer DEFAULT 0 NOT NULL,
	`kept_at` integer,
	`kept_message_id` text,
	`dismissed_reason` text,
	`renewed_from_id` text,
	`renewed_to_id` text,
	`next_reminder_at` integer,
	`reminder_count` integer DEFAULT 0 NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commitments_message` ON `commitments` (`account_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `commitments_thread` ON `commitments` (`account_id`,`thread_id`);--> statement-breakpoint
CREATE INDEX `commitments_counterpart` ON `commitments` (`account_id`,`counterpart_address`);--> statement-breakpoint
CREATE INDEX `commitments_status` ON `commitments` (`account_id`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `commitments_next_reminder` ON `commitments` (`next_reminder_at`) WHERE next_reminder_at is not null;--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`key` text NOT NULL,
	`op` text NOT NULL,
	`reminder_id` text,
	`commitment_id` text,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`result` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `processed_messages` (
	`account_id` text NOT NULL,
	`message_id` text NOT NULL,
	`direction` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `processed_key` ON `processed_messages` (`account_id`,`message_id`);--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`commitment_id` text,
	`check_in_id` text,
	`kind` text NOT NULL,
	`seq` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`title` text NOT NULL,
	`event_id` text,
	`state` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reminders_commitment` ON `reminders` (`commitment_id`,`state`);--> statement-breakpoint
CREATE INDEX `reminders_check_in` ON `reminders` (`check_in_id`);--> statement-breakpoint
CREATE INDEX `reminders_account` ON `reminders` (`account_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`account_id` text NOT NULL,
	`resource` text NOT NULL,
	`cursor` text,
	`subscription_id` text,
	`subscription_expires_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_state_key` ON `sync_state` (`account_id`,`resource`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`tone` text NOT NULL,
	`body` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
