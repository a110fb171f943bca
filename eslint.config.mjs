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
      "dashboard/dist/**",
      "dashboard/node_modules/**",
      "dashboard/src/.observablehq/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Beam DoFns must be written as `process: function (x) {...}` (docs/stream.md), so allow it.
      "object-shorthand": "off",
    },
  },
  {
    // A function reads in one screen: 60 lines of code, blank lines and comments not counted.
    files: [
      "pipelines/**/*.ts",
      "transforms/**/*.ts",
      "producers/**/*.ts",
      "cli/**/*.ts",
      "dashboard/**/*.ts",
    ],
    rules: {
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
);
