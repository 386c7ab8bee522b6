{
  "name": "@poshub/connector-{{name}}",
  "version": "0.1.0",
  "description": "poshub {{role}} connector for {{System}}: delivers canonical sales and returns to {{System}}'s API.",
  "type": "module",
  "private": true,
  "exports": {
    ".": "./src/index.ts"
  },
  "dependencies": {
    "@poshub/sdk": "workspace:*"
  },
  "devDependencies": {
    "@poshub/contracts": "workspace:*"
  }
}
