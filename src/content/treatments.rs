//! `content/treatments.toml`: the treatments spas offer, a translated
//! taxonomy like the locations, grouped into categories.

use super::load::{SourceFile, tidy_toml_message};
use crate::diagnostic::Diagnostics;
use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TreatmentsFile {
    #[serde(default)]
    category: Vec<CategoryRecord>,
    #[serde(default)]
    treatment: Vec<TreatmentRecord>,
}

/// A heading of the treatment index: `[[category]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRecord {
    pub slug: String,
    /// The name in the default language.
    pub name: String,
    #[serde(default)]
    pub names: IndexMap<String, String>,
}

/// One treatment: `[[treatment]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentRecord {
    pub slug: String,
    /// The name in the default language.
    pub name: String,
    #[serde(default)]
    pub names: IndexMap<String, String>,
    /// A sentence or two in the default language.
    pub description: Option<String>,
    /// The description in other languages.
    #[serde(default)]
    pub descriptions: IndexMap<String, String>,
    /// The slug of a `[[category]]`.
    pub category: Option<String>,
    /// The schema.org `MedicalSpecialty` this treatment belongs to
    /// (`Physiotherapy`, `Dentistry`…): what search engines read as a
    /// hospital's or clinic's `medicalSpecialty`.
    pub specialty: Option<String>,
}

/// The members of schema.org's `MedicalSpecialty` enumeration, as its
/// vocabulary names them. A closed list, so that a misspelt one is an
/// error here rather than a property no search engine understands.
pub const MEDICAL_SPECIALTIES: &[&str] = &[
    "Anesthesia",
    "Cardiovascular",
    "CommunityHealth",
    "Dentistry",
    "Dermatology",
    "DietNutrition",
    "Emergency",
    "Endocrine",
    "Gastroenterologic",
    "Genetic",
    "Geriatric",
    "Gynecologic",
    "Hematologic",
    "Infectious",
    "LaboratoryScience",
    "Midwifery",
    "Musculoskeletal",
    "Neurologic",
    "Nursing",
    "Obstetric",
    "Oncologic",
    "Optometric",
    "Otolaryngologic",
    "Pathology",
    "Pediatric",
    "PharmacySpecialty",
    "Physiotherapy",
    "PlasticSurgery",
    "Podiatric",
    "PrimaryCare",
    "Psychiatric",
    "PublicHealth",
    "Pulmonary",
    "Radiography",
    "Renal",
    "RespiratoryTherapy",
    "Rheumatologic",
    "SpeechPathology",
    "Surgical",
    "Toxicologic",
    "Urologic",
];

impl CategoryRecord {
    pub fn name_in(&self, lang: &str) -> &str {
        super::name_in(&self.names, &self.name, lang)
    }
}

impl TreatmentRecord {
    pub fn name_in(&self, lang: &str) -> &str {
        super::name_in(&self.names, &self.name, lang)
    }

    pub fn description_in(&self, lang: &str) -> Option<&str> {
        super::text_in(&self.descriptions, self.description.as_deref(), lang)
    }
}

/// What `content/treatments.toml` holds, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Treatments {
    pub categories: Vec<CategoryRecord>,
    pub treatments: Vec<TreatmentRecord>,
}

/// Parses and checks the records; bad ones are reported and left out.
pub fn parse(source: &SourceFile, diags: &Diagnostics) -> Treatments {
    let file: TreatmentsFile = match toml::from_str(&source.text) {
        Ok(f) => f,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            diags.push(source.error_at(offset, tidy_toml_message(e.message())));
            return Treatments::default();
        }
    };
    let mut out = Treatments::default();
    for rec in file.category {
        let at = |msg: String| source.error_at_value("slug", &rec.slug, msg);
        if let Err(msg) = crate::slug::check_slug(&rec.slug) {
            diags.push(at(msg));
            continue;
        }
        if out.categories.iter().any(|o| o.slug == rec.slug) {
            diags.push(at(format!("category `{}` is defined twice", rec.slug)));
            continue;
        }
        out.categories.push(rec);
    }
    let categories: Vec<&str> = out.categories.iter().map(|c| c.slug.as_str()).collect();
    let mut treatments = Vec::new();
    for rec in file.treatment {
        let at = |msg: String| source.error_at_value("slug", &rec.slug, msg);
        if let Err(msg) = crate::slug::check_slug(&rec.slug) {
            diags.push(at(msg));
            continue;
        }
        if treatments
            .iter()
            .any(|o: &TreatmentRecord| o.slug == rec.slug)
        {
            diags.push(at(format!("treatment `{}` is defined twice", rec.slug)));
            continue;
        }
        if let Some(cat) = &rec.category
            && !categories.contains(&cat.as_str())
        {
            let mut d = source.error_at_value(
                "category",
                cat,
                format!("treatment `{}`: there is no category `{cat}`", rec.slug),
            );
            d = match crate::slug::closest(cat, &categories) {
                Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                None => d.with_hint("add a [[category]] with this slug to content/treatments.toml"),
            };
            diags.push(d);
            continue;
        }
        if let Some(sp) = &rec.specialty
            && !MEDICAL_SPECIALTIES.contains(&sp.as_str())
        {
            let d = source.error_at_value(
                "specialty",
                sp,
                format!(
                    "treatment `{}`: `{sp}` is not a schema.org medical specialty",
                    rec.slug
                ),
            );
            diags.push(match crate::slug::closest(sp, MEDICAL_SPECIALTIES) {
                Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                None => d.with_hint(
                    "write one of schema.org's MedicalSpecialty names, e.g. `Physiotherapy`, `Dentistry`, `Dermatology`, `Musculoskeletal`, or leave `specialty` out",
                ),
            });
            continue;
        }
        treatments.push(rec);
    }
    out.treatments = treatments;
    out
}
