CREATE TABLE `commitment_others` (
	`account_id` text NOT NULL,
	`address` text NOT NULL,
	`sent_at` integer NOT NULL,
	`commitment_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `address`, `sent_at`, `commitment_id`)
);
--> statement-breakpoint
CREATE INDEX `commitment_others_commitment` ON `commitment_others` (`commitment_id`);