-- Custom migration (drizzle-kit generate --custom): triggers can't be said in the
-- drizzle schema. They keep commitment_people (db/schema.ts) in step with the
-- people in commitments.counterparts, whichever way a promise is written.
CREATE TRIGGER `commitment_people_insert` AFTER INSERT ON `commitments` BEGIN
  INSERT OR IGNORE INTO `commitment_people` (`account_id`, `address`, `sent_at`, `commitment_id`)
  SELECT NEW.`account_id`, lower(trim(json_extract(p.value, '$.address'))), NEW.`sent_at`, NEW.`id`
  FROM json_each(NEW.`counterparts`) p WHERE json_extract(p.value, '$.address') IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `commitment_people_update` AFTER UPDATE OF `counterparts`, `sent_at`, `account_id` ON `commitments` BEGIN
  DELETE FROM `commitment_people` WHERE `commitment_id` = OLD.`id`;
  INSERT OR IGNORE INTO `commitment_people` (`account_id`, `address`, `sent_at`, `commitment_id`)
  SELECT NEW.`account_id`, lower(trim(json_extract(p.value, '$.address'))), NEW.`sent_at`, NEW.`id`
  FROM json_each(NEW.`counterparts`) p WHERE json_extract(p.value, '$.address') IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `commitment_people_delete` AFTER DELETE ON `commitments` BEGIN
  DELETE FROM `commitment_people` WHERE `commitment_id` = OLD.`id`;
END;
--> statement-breakpoint
-- The promises already recorded.
INSERT OR IGNORE INTO `commitment_people` (`account_id`, `address`, `sent_at`, `commitment_id`)
SELECT c.`account_id`, lower(trim(json_extract(p.value, '$.address'))), c.`sent_at`, c.`id`
FROM `commitments` c, json_each(c.`counterparts`) p WHERE json_extract(p.value, '$.address') IS NOT NULL;
