-- Custom migration (drizzle-kit generate --custom): triggers can't be said in the
-- drizzle schema. They keep commitment_others (db/schema.ts) in step with the
-- people after the first in commitments.counterparts, whichever way a promise is written.
CREATE TRIGGER `commitment_others_insert` AFTER INSERT ON `commitments` WHEN json_array_length(NEW.`counterparts`) > 1 BEGIN
  INSERT OR IGNORE INTO `commitment_others` (`account_id`, `address`, `sent_at`, `commitment_id`)
  SELECT NEW.`account_id`, lower(trim(json_extract(p.value, '$.address'))), NEW.`sent_at`, NEW.`id`
  FROM json_each(NEW.`counterparts`) p
  WHERE p.key > 0 AND json_extract(p.value, '$.address') IS NOT NULL AND lower(trim(json_extract(p.value, '$.address'))) <> NEW.`counterpart_address`;
END;
--> statement-breakpoint
CREATE TRIGGER `commitment_others_update` AFTER UPDATE OF `counterparts`, `counterpart_address`, `sent_at`, `account_id` ON `commitments` BEGIN
  DELETE FROM `commitment_others` WHERE `commitment_id` = OLD.`id`;
  INSERT OR IGNORE INTO `commitment_others` (`account_id`, `address`, `sent_at`, `commitment_id`)
  SELECT NEW.`account_id`, lower(trim(json_extract(p.value, '$.address'))), NEW.`sent_at`, NEW.`id`
  FROM json_each(NEW.`counterparts`) p
  WHERE p.key > 0 AND json_extract(p.value, '$.address') IS NOT NULL AND lower(trim(json_extract(p.value, '$.address'))) <> NEW.`counterpart_address`;
END;
--> statement-breakpoint
CREATE TRIGGER `commitment_others_delete` AFTER DELETE ON `commitments` WHEN json_array_length(OLD.`counterparts`) > 1 BEGIN
  DELETE FROM `commitment_others` WHERE `commitment_id` = OLD.`id`;
END;
--> statement-breakpoint
-- The promises already recorded.
INSERT OR IGNORE INTO `commitment_others` (`account_id`, `address`, `sent_at`, `commitment_id`)
SELECT c.`account_id`, lower(trim(json_extract(p.value, '$.address'))), c.`sent_at`, c.`id`
FROM `commitments` c, json_each(c.`counterparts`) p
WHERE json_array_length(c.`counterparts`) > 1 AND p.key > 0 AND json_extract(p.value, '$.address') IS NOT NULL
  AND lower(trim(json_extract(p.value, '$.address'))) <> c.`counterpart_address`;
