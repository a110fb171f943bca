import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "data/**",
      ".venv/**",
      "dbt/**",
      "airflow/**",
      "infra/cache/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Beam DoFns must be written as `process: function (x) {...}` (see ARCHITECTURE.md), so allow it.
      "object-shorthand": "off",
    },
  },
);
