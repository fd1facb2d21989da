-- crmroute schema, version 2. The `crm` table of version 1 was never read nor written: CRM definitions
-- live in the YAML config (with their secrets in the environment), so the table only misled readers.
DROP TABLE IF EXISTS crm;
