-- A deployment's chat template (io.moxing.generate.ChatTemplate, JSON text): how /v1/chat/completions turns
-- messages into the prompt its language model continues. NULL: the default template. A setting of the
-- deployment, not of the version, so versions stay immutable and a new template reloads no model.
ALTER TABLE deployment_settings ADD COLUMN chat_template TEXT;
