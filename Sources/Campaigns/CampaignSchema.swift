// The campaign file's JSON Schema (2020-12): the single source of truth for its structure.
// `barometre schema` prints it; campaigns/schema/campaign.schema.json is this text, and a
// test checks that the two are identical and that the schema matches the Codable model.

public enum CampaignSchema {
    public static let text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://barometre.example/schema/campaign.schema.json",
  "title": "Barometre campaign",
  "description": "One paired discrimination-testing campaign (testing de situation): domain, criterion, arms, documents, targets and design. Validate with `barometre validate FILE`.",
  "type": "object",
  "required": [
    "id",
    "title",
    "domain",
    "territory",
    "wave",
    "period",
    "fictitious",
    "criterion",
    "arms",
    "profile",
    "templates",
    "targets",
    "design"
  ],
  "additionalProperties": false,
  "properties": {
    "$schema": {
      "type": "string",
      "description": "Path or URL of this schema, for editors."
    },
    "id": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9-]*$",
      "description": "Stable identifier: lowercase letters, digits and hyphens."
    },
    "title": {
      "type": "string",
      "minLength": 1
    },
    "domain": {
      "enum": [
        "housing",
        "employment",
        "internship"
      ],
      "description": "housing (logement), employment (emploi) or internship (stage)."
    },
    "territory": {
      "type": "string",
      "minLength": 1,
      "description": "The city or area tested."
    },
    "wave": {
      "type": "integer",
      "minimum": 1,
      "description": "Repetition of the campaign: 1, 2, ..."
    },
    "period": {
      "$ref": "#/$defs/period"
    },
    "fictitious": {
      "type": "boolean",
      "description": "True when the targets are invented (examples, training)."
    },
    "criterion": {
      "$ref": "#/$defs/criterion"
    },
    "arms": {
      "type": "array",
      "minItems": 2,
      "items": {
        "$ref": "#/$defs/arm"
      },
      "description": "One reference arm and one or more tested arms."
    },
    "profile": {
      "type": "object",
      "additionalProperties": {
        "type": "string"
      },
      "description": "The shared profile skeleton (qualifications, experience, income or school level): identical for every arm."
    },
    "templates": {
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/template"
      }
    },
    "targets": {
      "oneOf": [
        {
          "type": "array",
          "minItems": 1,
          "items": {
            "$ref": "#/$defs/target"
          }
        },
        {
          "$ref": "#/$defs/targetFile"
        }
      ],
      "description": "The offers tested: a list, or {\"file\": \"targets.csv\"} next to the campaign."
    },
    "design": {
      "$ref": "#/$defs/design"
    },
    "outcomes": {
      "$ref": "#/$defs/outcomes"
    },
    "analysis": {
      "$ref": "#/$defs/analysis"
    },
    "publication": {
      "$ref": "#/$defs/publication"
    },
    "language": {
      "enum": [
        "fr",
        "en"
      ],
      "description": "The language of this file's texts (default fr)."
    },
    "translations": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "fr": {
          "$ref": "#/$defs/translation"
        },
        "en": {
          "$ref": "#/$defs/translation"
        }
      },
      "description": "The campaign's human texts in other languages, for reports in those languages: {\"en\": {\"title\": …, \"criterion\": …, \"arms\": {\"id\": \"label\"}, \"levels\": {…}}}."
    }
  },
  "$defs": {
    "translation": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "title": {
          "type": "string",
          "minLength": 1
        },
        "criterion": {
          "type": "string",
          "minLength": 1
        },
        "arms": {
          "type": "object",
          "additionalProperties": {
            "type": "string",
            "minLength": 1
          }
        },
        "levels": {
          "type": "object",
          "additionalProperties": {
            "type": "string",
            "minLength": 1
          }
        }
      }
    },
    "period": {
      "type": "object",
      "required": [
        "start",
        "end"
      ],
      "additionalProperties": false,
      "properties": {
        "start": {
          "type": "string",
          "format": "date",
          "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
          "description": "First day (YYYY-MM-DD)."
        },
        "end": {
          "type": "string",
          "format": "date",
          "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
          "description": "Last day (YYYY-MM-DD), inclusive."
        }
      }
    },
    "criterion": {
      "type": "object",
      "required": [
        "grounds",
        "description"
      ],
      "additionalProperties": false,
      "properties": {
        "grounds": {
          "type": "array",
          "minItems": 1,
          "uniqueItems": true,
          "items": {
            "enum": [
              "origin",
              "sex",
              "family-situation",
              "pregnancy",
              "physical-appearance",
              "economic-vulnerability",
              "surname",
              "place-of-residence",
              "health",
              "loss-of-autonomy",
              "disability",
              "genetic-characteristics",
              "morals",
              "sexual-orientation",
              "gender-identity",
              "age",
              "political-opinions",
              "trade-union-activities",
              "whistleblower-status",
              "language",
              "ethnicity",
              "nationality",
              "race",
              "religion",
              "bank-domiciliation"
            ]
          },
          "description": "Protected grounds of French law (Code pénal art. 225-1); several for combined arms."
        },
        "description": {
          "type": "string",
          "minLength": 1,
          "description": "How the arms signal the criterion."
        }
      }
    },
    "arm": {
      "type": "object",
      "required": [
        "id",
        "label",
        "role",
        "signals",
        "identities"
      ],
      "additionalProperties": false,
      "properties": {
        "id": {
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]*$"
        },
        "label": {
          "type": "string",
          "minLength": 1
        },
        "role": {
          "enum": [
            "reference",
            "tested",
            "placebo"
          ]
        },
        "signals": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "The value signalled for each ground, e.g. {\"origin\": \"maghrebine\"}."
        },
        "identities": {
          "type": "array",
          "minItems": 1,
          "items": {
            "$ref": "#/$defs/identity"
          }
        },
        "profile": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "Profile values that differ because of the criterion; only criterion grounds may differ."
        }
      }
    },
    "identity": {
      "type": "object",
      "required": [
        "firstName",
        "lastName"
      ],
      "additionalProperties": false,
      "properties": {
        "firstName": {
          "type": "string",
          "minLength": 1
        },
        "lastName": {
          "type": "string",
          "minLength": 1
        },
        "email": {
          "type": "string",
          "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"
        },
        "phone": {
          "type": "string",
          "minLength": 1
        },
        "address": {
          "$ref": "#/$defs/address"
        },
        "attributes": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          }
        }
      }
    },
    "address": {
      "type": "object",
      "required": [
        "street",
        "postalCode",
        "city"
      ],
      "additionalProperties": false,
      "properties": {
        "street": {
          "type": "string",
          "minLength": 1
        },
        "postalCode": {
          "type": "string",
          "pattern": "^[0-9]{5}$"
        },
        "city": {
          "type": "string",
          "minLength": 1
        },
        "qpv": {
          "type": "boolean",
          "description": "Address in a quartier prioritaire de la politique de la ville."
        }
      }
    },
    "template": {
      "type": "object",
      "required": [
        "id",
        "channel",
        "body"
      ],
      "additionalProperties": false,
      "properties": {
        "id": {
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]*$"
        },
        "channel": {
          "enum": [
            "email",
            "letter",
            "phone",
            "visit"
          ]
        },
        "subject": {
          "type": "string"
        },
        "body": {
          "type": "string",
          "minLength": 1,
          "description": "Mustache text."
        }
      }
    },
    "target": {
      "type": "object",
      "required": [
        "id",
        "organization",
        "sector",
        "city",
        "channel"
      ],
      "additionalProperties": false,
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1
        },
        "organization": {
          "type": "string",
          "minLength": 1
        },
        "sector": {
          "type": "string",
          "minLength": 1
        },
        "city": {
          "type": "string",
          "minLength": 1
        },
        "district": {
          "type": "string"
        },
        "channel": {
          "enum": [
            "email",
            "letter",
            "phone",
            "visit"
          ]
        },
        "title": {
          "type": "string"
        },
        "contact": {
          "type": "string"
        }
      }
    },
    "targetFile": {
      "type": "object",
      "required": [
        "file"
      ],
      "additionalProperties": false,
      "properties": {
        "file": {
          "type": "string",
          "minLength": 1,
          "description": "CSV path relative to the campaign file; columns id, organization, sector, city, channel (+ district, title, contact)."
        }
      }
    },
    "design": {
      "type": "object",
      "required": [
        "applicationsPerArm",
        "order",
        "gapHours",
        "workingDays",
        "workingHours",
        "templateRotation",
        "testers",
        "responseWindowDays"
      ],
      "additionalProperties": false,
      "properties": {
        "applicationsPerArm": {
          "type": "integer",
          "minimum": 1,
          "maximum": 10
        },
        "order": {
          "enum": [
            "balanced",
            "random"
          ]
        },
        "gapHours": {
          "type": "object",
          "required": [
            "min",
            "max"
          ],
          "additionalProperties": false,
          "properties": {
            "min": {
              "type": "number",
              "minimum": 0
            },
            "max": {
              "type": "number",
              "minimum": 0
            }
          },
          "description": "Working time between two applications of one test, in hours."
        },
        "workingDays": {
          "type": "array",
          "minItems": 1,
          "uniqueItems": true,
          "items": {
            "enum": [
              "mon",
              "tue",
              "wed",
              "thu",
              "fri",
              "sat",
              "sun"
            ]
          }
        },
        "workingHours": {
          "type": "object",
          "required": [
            "start",
            "end"
          ],
          "additionalProperties": false,
          "properties": {
            "start": {
              "type": "string",
              "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"
            },
            "end": {
              "type": "string",
              "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"
            }
          }
        },
        "templateRotation": {
          "enum": [
            "latin-square"
          ]
        },
        "testers": {
          "type": "array",
          "minItems": 1,
          "description": "Who sends the applications: names, or {\"name\": …, \"arms\": [arm ids]} for a tester who plays only those arms (calls and visits: each application of a test goes to a different tester).",
          "items": {
            "oneOf": [
              {
                "type": "string",
                "minLength": 1
              },
              {
                "type": "object",
                "required": [
                  "name"
                ],
                "additionalProperties": false,
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1
                  },
                  "arms": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": true,
                    "items": {
                      "type": "string",
                      "minLength": 1
                    }
                  }
                }
              }
            ]
          }
        },
        "seed": {
          "type": "integer",
          "minimum": 0
        },
        "responseWindowDays": {
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "outcomes": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "scale": {
          "type": "array",
          "minItems": 2,
          "uniqueItems": true,
          "items": {
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]*$"
          },
          "description": "Ordinal scale, lowest first; default per domain."
        },
        "positiveThreshold": {
          "type": "string",
          "description": "Lowest level counted as positive."
        }
      }
    },
    "analysis": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "level": {
          "type": "number",
          "exclusiveMinimum": 0,
          "exclusiveMaximum": 1
        },
        "slices": {
          "type": "array",
          "uniqueItems": true,
          "items": {
            "enum": [
              "sector",
              "city",
              "district",
              "channel",
              "organization"
            ]
          }
        },
        "multiplicity": {
          "enum": [
            "holm",
            "benjamini-hochberg"
          ]
        },
        "primary": {
          "type": "array",
          "minItems": 1,
          "uniqueItems": true,
          "items": {
            "type": "string"
          },
          "description": "The primary comparisons: ids of tested arms, each compared with the reference arm over all tests at the positive threshold. They form the confirmatory family (Holm within it) and alone make headlines; slices, organizations and other comparisons are exploratory (Benjamini–Hochberg). Default: every tested arm."
        },
        "reportCard": {
          "type": "object",
          "additionalProperties": false,
          "description": "The organizations' empirical-Bayes report card (Kline, Rose & Walters 2024; METHODS.md §4): who is in it and how grades are chosen. Default: organizations with at least 10 tests, at least 5 of them, grades by λ = 0.25.",
          "properties": {
            "minimumTests": {
              "type": "integer",
              "minimum": 2,
              "description": "Fewest tests for an organization to be graded (default 10)."
            },
            "minimumOrganizations": {
              "type": "integer",
              "minimum": 3,
              "description": "Fewest organizations for a report card at all (default 5)."
            },
            "grades": {
              "type": "object",
              "additionalProperties": false,
              "required": ["by", "value"],
              "description": "How grades are chosen. {\"by\": \"lambda\", \"value\": 0.25} (the default): an organization goes above another only when it is more likely to discriminate with probability above 1/(1+λ); 0 gives one grade, 1 a full ranking. {\"by\": \"discordanceRate\", \"value\": 0.05}: the most grades whose expected mis-ordered pairs stay within the rate (counted as drrank does: rate/2 of the pairs of organizations).",
              "properties": {
                "by": {
                  "enum": ["lambda", "discordanceRate"]
                },
                "value": {
                  "type": "number",
                  "minimum": 0,
                  "maximum": 1
                }
              }
            }
          }
        }
      }
    },
    "publication": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "organizations": {
          "enum": [
            "pseudonymous",
            "named"
          ]
        },
        "minimumCellSize": {
          "type": "integer",
          "minimum": 1
        },
        "naming": {
          "type": "object",
          "required": [
            "maxQValue",
            "minTests"
          ],
          "additionalProperties": false,
          "properties": {
            "maxQValue": {
              "type": "number",
              "exclusiveMinimum": 0,
              "maximum": 1
            },
            "minTests": {
              "type": "integer",
              "minimum": 1
            }
          }
        }
      }
    }
  }
}
"""#
}
