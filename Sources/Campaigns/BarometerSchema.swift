// The barometer file's JSON Schema (2020-12). `barometre schema --barometer` prints it;
// campaigns/schema/barometer.schema.json is this text (a test checks the two are identical).

public enum BarometerSchema {
    public static let text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://barometre.example/schema/barometer.schema.json",
  "title": "Barometre barometer file",
  "description": "A territory's barometer: its campaigns and imported studies across domains, criteria and waves, reported together by `barometre report --barometer FILE`.",
  "type": "object",
  "required": [
    "title",
    "territory",
    "entries"
  ],
  "additionalProperties": false,
  "properties": {
    "$schema": {
      "type": "string"
    },
    "title": {
      "type": "string",
      "minLength": 1
    },
    "territory": {
      "type": "string",
      "minLength": 1
    },
    "entries": {
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/entry"
      },
      "description": "One campaign or imported study each, as registered in the ledger."
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
          "$ref": "#/$defs/fileTranslation"
        },
        "en": {
          "$ref": "#/$defs/fileTranslation"
        }
      },
      "description": "The title and territory in other languages."
    }
  },
  "$defs": {
    "fileTranslation": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "title": {
          "type": "string",
          "minLength": 1
        },
        "territory": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "entryTranslation": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "criterion": {
          "type": "string",
          "minLength": 1
        },
        "labels": {
          "type": "object",
          "additionalProperties": {
            "type": "string",
            "minLength": 1
          }
        }
      }
    },
    "entry": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "campaign": {
          "type": "string",
          "minLength": 1,
          "description": "A planned campaign's id."
        },
        "study": {
          "type": "string",
          "minLength": 1,
          "description": "An imported study's id."
        },
        "domain": {
          "enum": [
            "housing",
            "employment",
            "internship"
          ],
          "description": "Default: the campaign's domain (required for a study)."
        },
        "criterion": {
          "type": "string",
          "minLength": 1,
          "description": "The criterion in words, e.g. \"origine\". Default: the campaign's grounds (required for a study)."
        },
        "wave": {
          "type": "integer",
          "minimum": 1,
          "description": "Default: the campaign's wave (required for a study)."
        },
        "primary": {
          "type": "array",
          "minItems": 1,
          "uniqueItems": true,
          "items": {
            "type": "string"
          },
          "description": "The primary comparisons: tested arm ids, each compared with the reference arm over all tests. Only they make the barometer's verdicts (Holm within them); everything else is exploratory. Default: the campaign's analysis.primary, else every tested arm."
        },
        "labels": {
          "type": "object",
          "additionalProperties": {
            "type": "string",
            "minLength": 1
          },
          "description": "Labels for people of arm codes (an imported study's \"Woman.S\"): the report shows the label, never the raw code."
        },
        "translations": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "fr": {
              "$ref": "#/$defs/entryTranslation"
            },
            "en": {
              "$ref": "#/$defs/entryTranslation"
            }
          },
          "description": "The entry's criterion and labels in other languages."
        }
      }
    }
  }
}
"""#
}
