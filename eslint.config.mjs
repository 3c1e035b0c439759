// ESLint (flat config). Every TypeScript file is linted with typescript-eslint's type-checked rules,
// so a floating promise or a switch that leaves out a case of a union is an error, not a review
// finding. Layout is Prettier's business (.prettierrc.json); nothing here overlaps with it.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", "build/", "out/", "coverage/"] },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    // One TypeScript program for the whole project (tsconfig.json), built once per run.
    languageOptions: { parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: false }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // Configs are matched by their indentation: a run of spaces in a pattern is the config's own.
      "no-regex-spaces": "off",
    },
  },
  // The few JavaScript files (jest.config.js, this file, scripts/) run on Node.js.
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
  },
  { files: ["**/*.js"], languageOptions: { sourceType: "commonjs", globals: { __dirname: "readonly" } } },
);
