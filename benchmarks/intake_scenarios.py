"""Use-case templates for the intake generator (``gen_intakes.py``).

Each :class:`Scenario` is a realistic AI use case: its business units, titles, intended
purposes, outcome and the answers of the form that make it what it is. A value that is a
:class:`Pick` is drawn from its options for each file; everything the scenario leaves out
(owners, stage, dates, operations, controls...) the generator fills in. ``tier`` is the
tier the starter pack gives the use case when it is in the EU's scope (documentation and
balancing only: the generator checks every file with the starter pack itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pick:
    """One of the options, drawn per file."""

    options: tuple[Any, ...]


def pick(*options: Any) -> Pick:
    return Pick(options)


Metric = tuple[str, Any, Any, str]  # name, baseline, target, owner


@dataclass(frozen=True)
class Scenario:
    key: str
    tier: str
    units: tuple[tuple[str, str], ...]  # (business unit, use-case id prefix)
    titles: tuple[str, ...]
    purposes: tuple[str, ...]
    statement: str
    metrics: tuple[Metric, ...]
    fields: dict[str, Any]
    #: what the mutations of failing files need: annex_iii (an Annex III high-risk use),
    #: high_risk (high-risk in the EU), public (a public deployer), eu (EU only)
    tags: frozenset[str] = field(default_factory=frozenset)


def _s(*tags: str) -> frozenset[str]:
    return frozenset(tags)


_EU = pick(["EU"], ["EU", "UK"], ["EU", "EEA"], ["EU", "EEA", "UK"], ["EU", "US_other"])
_ANY = pick(["EU"], ["EU", "UK"], ["EU", "EEA", "UK"], ["UK"], ["US_other"], ["EU", "SG"],
            ["UK", "US_other"])
_GENAI = pick(["confabulation", "information_security", "data_privacy"],
              ["confabulation", "information_integrity", "intellectual_property"],
              ["confabulation", "harmful_bias_and_homogenisation", "information_security",
               "value_chain_and_component_integration"])

LOW: list[Scenario] = [
    Scenario(
        "invoice-extraction", "low",
        (("Finance", "FIN"), ("Accounts Payable", "AP"), ("Shared Services", "SSC")),
        ("Supplier invoice data extraction", "Invoice line-item capture",
         "Accounts-payable document reader"),
        ("Read supplier invoices received as PDF or scans and extract the supplier, invoice "
         "number, dates, amounts, VAT and line items into the ERP posting queue. An "
         "accounts-payable clerk checks every extracted invoice before it is posted; nothing "
         "is paid without the usual three-way match.",
         "Extract header fields and line items from incoming supplier invoices so that clerks "
         "no longer key them in by hand. Low-confidence fields are highlighted for the clerk, "
         "who confirms or corrects them before posting to the ledger."),
        "Cut manual invoice keying time by 60% without raising the posting error rate.",
        (("Minutes of keying per invoice", 4.5, 1.8, "AP Operations"),
         ("Posting corrections per 1000 invoices", 12, 12, "Finance Controlling")),
        {"system_types": pick(["nlp_extraction"], ["nlp_extraction", "computer_vision"]),
         "model_source": pick("third_party_api", "third_party_embedded_in_product"),
         "org_roles": ["deployer"], "deployer_type": ["private_company"],
         "capabilities": [], "domain": "internal_productivity", "purposes": ["data_extraction"],
         "affected_subjects": [], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "confidential",
         "personal_data_categories": ["identifiers", "financial"],
         "data_sources": ["first_party"], "scale_persons_per_year": "lt_100"},
    ),
    Scenario(
        "fraud-scoring", "low",
        (("Payments", "PAY"), ("Cards", "CRD"), ("Financial Crime", "FCR")),
        ("Real-time card fraud scoring", "Instant-payment fraud screening",
         "Account-takeover detection"),
        ("Score every card payment authorisation in real time for the likelihood of fraud. "
         "Payments above the block threshold are held and the card holder is asked to "
         "confirm in the banking app; mid-range scores go to a fraud analyst queue. The score "
         "is never used for credit decisions or pricing.",
         "Flag instant payments and logins that look like account takeover, using device, "
         "behaviour and transaction features. Flagged events are paused for step-up "
         "authentication; analysts review disputed cases within one business day."),
        "Cut fraud losses by 30% while keeping legitimate payments held below 0.2%.",
        (("Fraud losses in basis points of volume", 5.8, 4.1, "Fraud Strategy"),
         ("Legitimate payments held", "0.35%", "0.2%", "Fraud Strategy"),
         ("Recall on confirmed fraud", 0.71, 0.8, "Fraud Data Science")),
        {"system_types": pick(["classifier"], ["classifier", "scoring_ranking"]),
         "model_source": "in_house_trained", "org_roles": ["provider", "deployer"],
         "deployer_type": ["private_company", "financial_institution"],
         "capabilities": ["profiling_natural_persons"], "domain": "security_fraud",
         "purposes": ["fraud_detection"], "affected_subjects": ["consumers"],
         "decision_role": "human_on_the_loop_can_override", "decision_effect": "minor",
         "adverse_outcomes": ["financial_loss", "denial_of_service_or_benefit"],
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "financial", "location", "behavioural"],
         "data_sources": ["first_party"], "scale_persons_per_year": pick("10k_1m", "gt_1m"),
         "trains_on_customer_or_user_data": True},
    ),
    Scenario(
        "demand-forecast", "low",
        (("Supply Chain", "SCM"), ("Merchandising", "MER"), ("Operations Planning", "OPP")),
        ("Weekly store demand forecast", "Replenishment demand forecasting",
         "Fresh-produce order forecasting"),
        ("Forecast weekly demand per store and product for the next eight weeks from sales "
         "history, promotions, holidays and weather, so that planners can set replenishment "
         "orders. Planners review the forecast and can override any order line.",
         "Predict daily sales of fresh products per store to size orders and cut waste. The "
         "forecast feeds the ordering screen; store managers accept or adjust each order."),
        "Reduce stock-outs by 15% and fresh-food waste by 10% within a year.",
        (("Forecast error (WAPE)", "31%", "24%", "Demand Planning"),
         ("Fresh waste as share of sales", "4.2%", "3.8%", "Category Management")),
        {"system_types": ["regression_forecast"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["private_company"],
         "capabilities": [], "domain": "other", "purposes": ["forecasting"],
         "affected_subjects": [], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "internal",
         "personal_data_categories": [], "data_sources": ["first_party", "third_party_licensed"],
         "scale_persons_per_year": "lt_100"},
    ),
    Scenario(
        "contract-classification", "low",
        (("Legal Operations", "LEG"), ("Procurement", "PRC"), ("Records Management", "REC")),
        ("Contract repository classification", "Duplicate contract detection",
         "Legacy document triage"),
        ("Classify contracts and related documents in the repository by type, counterparty "
         "and renewal date, and flag likely duplicates, so that the legal team can clean up "
         "the repository before the migration. Every suggestion is reviewed by a paralegal.",
         "Sort scanned legacy documents into the records classes of the retention schedule "
         "and flag near-duplicates. Records officers confirm the class before any document is "
         "archived or deleted."),
        "Finish the repository clean-up in two quarters instead of six.",
        (("Documents classified per week", 800, 6000, "Legal Operations"),
         ("Classification accuracy on audited sample", 0.9, 0.97, "Records Management")),
        {"system_types": pick(["classifier", "nlp_extraction"], ["classifier"]),
         "model_source": pick("third_party_embedded_in_product", "fine_tuned_third_party"),
         "org_roles": ["deployer"], "deployer_type": ["private_company"], "capabilities": [],
         "domain": pick("legal_services", "internal_productivity"),
         "purposes": pick(["document_classification"],
                          ["document_classification", "deduplication"]),
         "affected_subjects": [], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "confidential",
         "personal_data_categories": ["identifiers", "contact"],
         "data_sources": ["first_party"], "scale_persons_per_year": "lt_100"},
    ),
    Scenario(
        "document-translation", "low",
        (("Corporate Communications", "COM"), ("Localisation", "LOC"), ("Legal", "LGL")),
        ("Internal document translation", "Policy translation service",
         "Technical manual translation"),
        ("Translate internal policies, manuals and presentations between English, German, "
         "French and Spanish. Translations of anything published or binding are reviewed by a "
         "qualified translator before release.",
         "Machine-translate technical manuals for the service network, with a terminology "
         "glossary. A localisation specialist post-edits every manual before publication."),
        "Halve translation turnaround time and external translation spend.",
        (("Median turnaround in days", 9, 4, "Localisation"),
         ("External translation spend per quarter (kEUR)", 180, 90, "Procurement")),
        {"system_types": ["translation"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company"], "capabilities": [],
         "domain": "internal_productivity", "purposes": ["document_translation"],
         "affected_subjects": [], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "confidential",
         "personal_data_categories": [], "data_sources": ["first_party", "user_prompts"],
         "scale_persons_per_year": "100_10k"},
    ),
    Scenario(
        "meeting-summaries", "low",
        (("IT Workplace", "IT"), ("Digital Workplace", "DWP")),
        ("Meeting notes summariser", "Call transcript summaries", "Project meeting recaps"),
        ("Transcribe internal video meetings and produce a short summary with decisions and "
         "action items for the participants. Recording needs the consent of all participants "
         "and the organiser can delete the summary at any time.",
         "Summarise recorded project meetings into decisions, risks and actions, shared only "
         "with the participants. Summaries are kept for 30 days."),
        "Save each participant 15 minutes of note-taking per meeting.",
        (("Meetings summarised per month", 0, 4000, "Digital Workplace"),
         ("Participants rating the summary useful", None, "80%", "Digital Workplace")),
        {"system_types": pick(["speech", "summarisation"], ["summarisation"]),
         "model_source": "third_party_embedded_in_product", "org_roles": ["deployer"],
         "deployer_type": ["private_company", "employer"], "capabilities": [],
         "domain": "internal_productivity", "purposes": ["summarisation"],
         "affected_subjects": ["employees"], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers"], "data_sources": ["first_party"],
         "scale_persons_per_year": "100_10k", "workers_informed": True},
    ),
    Scenario(
        "predictive-maintenance", "low",
        (("Plant Operations", "OPS"), ("Maintenance Engineering", "MNT"), ("Fleet", "FLT")),
        ("Predictive maintenance for conveyor motors", "Pump failure early warning",
         "Truck fleet maintenance planning"),
        ("Detect unusual vibration and temperature patterns in conveyor motors from sensor "
         "data and open a maintenance ticket before the motor fails. Technicians decide "
         "whether and when to intervene; the system never stops a machine itself.",
         "Forecast the remaining useful life of fleet components from telematics and service "
         "history, so that workshops can plan maintenance slots. Planners confirm every slot."),
        "Cut unplanned downtime by 25% in the first year.",
        (("Unplanned downtime hours per month", 120, 90, "Plant Operations"),
         ("Alerts confirmed by technicians", None, "70%", "Maintenance Engineering")),
        {"system_types": pick(["regression_forecast"], ["classifier", "regression_forecast"]),
         "model_source": "in_house_trained", "org_roles": ["provider", "deployer"],
         "deployer_type": ["private_company"], "capabilities": [], "domain": "other",
         "purposes": pick(["pattern_deviation_detection"], ["forecasting"]),
         "affected_subjects": [], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "internal",
         "personal_data_categories": [], "data_sources": ["cctv_or_sensor", "first_party"],
         "scale_persons_per_year": "lt_100"},
    ),
]

ELEVATED: list[Scenario] = [
    Scenario(
        "customer-chatbot", "elevated",
        (("Customer Service", "CS"), ("Digital Channels", "DIG"), ("Telecom Care", "CARE")),
        ("Customer service chatbot", "Billing questions assistant", "Web self-service agent"),
        ("Answer customers' questions about orders, deliveries and returns on the website and "
         "in the app, using the help-centre articles and the customer's order status. It "
         "hands over to a human agent on request or when it cannot answer, and it cannot "
         "change orders or give refunds.",
         "Help customers understand their bills and tariffs in the app chat, drawing on the "
         "tariff catalogue and the customer's last three bills. Complaints and disputes go "
         "to a human agent."),
        "Resolve 40% of contacts without an agent while keeping satisfaction at 4.2 or above.",
        (("Contacts resolved without an agent", "12%", "40%", "Customer Service"),
         ("Customer satisfaction (1-5)", 4.1, 4.2, "Customer Experience"),
         ("Answers flagged as wrong in QA sample", None, "below 2%", "Knowledge Team")),
        {"system_types": ["conversational_agent", "generative_text"],
         "model_source": pick("third_party_api", "fine_tuned_third_party"),
         "org_roles": ["deployer"], "deployer_type": ["private_company"],
         "capabilities": ["direct_interaction_with_persons"], "domain": "customer_service",
         "purposes": ["customer_support"], "affected_subjects": ["consumers"],
         "decision_role": "informational", "decision_effect": "minor",
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "contact", "financial"],
         "data_sources": ["first_party", "user_prompts"], "scale_persons_per_year": "gt_1m",
         "interacts_directly_with_people": True, "ai_interaction_obvious": False,
         "external_facing": True, "agentic_actions": "read_only", "genai_risks": _GENAI,
         "output_marking": "not_applicable"},
    ),
    Scenario(
        "code-assistant", "elevated",
        (("Software Engineering", "ENG"), ("Platform Engineering", "PLT")),
        ("IDE coding assistant", "Code review assistant", "Test generation assistant"),
        ("Suggest code completions, unit tests and explanations of existing code to software "
         "engineers inside their IDE. Engineers review every suggestion before committing it; "
         "the usual code review and CI checks apply.",
         "Comment on pull requests with likely bugs and missing tests. Comments are "
         "suggestions: the human reviewer approves or rejects the change as before."),
        "Cut median pull-request cycle time by 20% without more escaped defects.",
        (("Median pull-request cycle time (hours)", 26, 21, "Engineering Productivity"),
         ("Escaped defects per 1000 deployments", 4.1, 4.1, "Quality Engineering")),
        {"system_types": ["generative_text"], "model_source": "third_party_embedded_in_product",
         "org_roles": ["deployer"], "deployer_type": ["private_company", "employer"],
         "capabilities": [], "domain": "software_engineering", "purposes": ["content_generation"],
         "affected_subjects": [], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "confidential",
         "personal_data_categories": ["identifiers"],
         "data_sources": ["first_party", "user_prompts"], "scale_persons_per_year": "100_10k",
         "interacts_directly_with_people": True, "ai_interaction_obvious": True,
         "external_facing": False, "agentic_actions": "read_only", "genai_risks": _GENAI,
         "output_marking": "none", "workers_informed": True},
    ),
    Scenario(
        "marketing-images", "elevated",
        (("Marketing", "MKT"), ("Brand Studio", "BRD"), ("E-commerce", "ECOM")),
        ("Campaign image generation", "Product lifestyle imagery", "Social media visuals"),
        ("Generate lifestyle images of our products for online campaigns and social media "
         "from approved product photos and briefs. A designer selects and edits every image "
         "and brand compliance approves it before publication; no real people are depicted.",
         "Create background scenes for product photos on the web shop. Images are marked as "
         "AI-generated in their metadata and reviewed by the studio before use."),
        "Halve the cost per campaign visual while keeping brand-compliance rejections flat.",
        (("Cost per visual (EUR)", 420, 200, "Brand Studio"),
         ("Visuals rejected by brand compliance", "6%", "6%", "Brand Compliance")),
        {"system_types": ["generative_image"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company"],
         "capabilities": ["synthetic_content_generation"], "domain": "marketing_advertising",
         "purposes": ["content_generation"], "affected_subjects": ["general_public"],
         "decision_role": "no_decision_about_people", "decision_effect": "none",
         "data_sensitivity": "internal", "personal_data_categories": [],
         "data_sources": ["first_party", "user_prompts"], "scale_persons_per_year": "gt_1m",
         "external_facing": True, "deepfake_output": False, "output_marking": "both",
         "artistic_or_satirical": False, "genai_risks": _GENAI},
    ),
    Scenario(
        "gpai-finetune", "elevated",
        (("AI Research Lab", "LAB"), ("Foundation Models", "FM")),
        ("Legal-language model release", "Open multilingual base model",
         "Domain-adapted language model"),
        ("A general-purpose language model adapted to European legal language, released "
         "publicly with open weights so that law firms and researchers can build their own "
         "drafting, summarisation and search tools on it. We do not operate any application "
         "on the model ourselves.",
         "Continue pre-training an open base model on licensed technical literature and "
         "release it for downstream providers under a commercial licence with a usage policy."),
        "Become the reference open model for legal drafting in three EU languages.",
        (("Downloads in the first six months", 0, 20000, "Research Lab"),
         ("Benchmark score on legal QA", 0.61, 0.7, "Research Lab")),
        {"subject": "gpai_model", "system_types": ["generative_text"],
         "model_source": "fine_tuned_third_party", "org_roles": ["gpai_model_provider"],
         "deployer_type": ["private_company"],
         "open_source_release": pick({"released": True, "licence": "Apache-2.0",
                                      "weights_public": True},
                                     {"released": False, "weights_public": False}),
         "gpai": pick({"is_gpai_model": "yes", "training_compute_flop": 1.681e23,
                       "modification_compute_flop": 8.4e19, "base_model_compute_flop": 1.68e23,
                       "generative_modalities": ["text"],
                       "commission_designated_systemic": False},
                      {"is_gpai_model": "yes", "training_compute_flop": 4.2e23,
                       "modification_compute_flop": 2.1e21, "base_model_compute_flop": 4.0e23,
                       "generative_modalities": ["text", "code"]}),
         "capabilities": ["synthetic_content_generation"], "domain": "legal_services",
         "purposes": ["content_generation", "summarisation"], "affected_subjects": [],
         "decision_role": "no_decision_about_people", "decision_effect": "none",
         "data_sensitivity": "public", "personal_data_categories": [],
         "data_sources": ["third_party_licensed", "public_web_scrape"],
         "scale_persons_per_year": "10k_1m", "genai_risks": _GENAI,
         "output_marking": "metadata_c2pa"},
        _s("eu"),
    ),
    Scenario(
        "procurement-agent", "elevated",
        (("Procurement", "PRC"), ("Indirect Purchasing", "IND")),
        ("Tail-spend purchasing agent", "Office supplies ordering agent",
         "Supplier quote comparison agent"),
        ("An agent that takes purchase requests for office supplies and small equipment, "
         "compares quotes from approved suppliers and places orders up to EUR 2,000 through "
         "the suppliers' portals. Orders above the limit or from new suppliers need a buyer's "
         "approval.",
         "Collect quotes for low-value purchases from catalogue suppliers and place the order "
         "with the cheapest compliant offer after the requester confirms it in the portal."),
        "Handle 70% of tail-spend requests without a buyer and cut their cost by 8%.",
        (("Requests handled without a buyer", "0%", "70%", "Procurement Excellence"),
         ("Savings on tail spend", "0%", "8%", "Procurement Controlling")),
        {"system_types": ["agentic_tool_use", "generative_text"],
         "model_source": "third_party_api", "org_roles": ["deployer"],
         "deployer_type": ["private_company"], "capabilities": [],
         "domain": "internal_productivity", "purposes": ["other"],
         "affected_subjects": ["employees"], "decision_role": "no_decision_about_people",
         "decision_effect": "none", "data_sensitivity": "confidential",
         "personal_data_categories": ["identifiers", "contact"],
         "data_sources": ["first_party", "user_prompts"], "scale_persons_per_year": "100_10k",
         "interacts_directly_with_people": True, "ai_interaction_obvious": True,
         "agentic_actions": "external_transactions", "genai_risks": _GENAI,
         "output_marking": "not_applicable"},
    ),
    Scenario(
        "reading-tutor", "elevated",
        (("Learning Products", "LRN"), ("Education Services", "EDU")),
        ("Reading practice tutor for children", "Homework help assistant",
         "Vocabulary practice companion"),
        ("A reading companion in our learning app that listens to children aged 7 to 11 "
         "reading aloud, gives encouraging feedback and suggests the next book. It does not "
         "grade pupils and teachers see only aggregated progress.",
         "Answer pupils' homework questions with hints rather than answers, within the "
         "school's curriculum. Conversations are not used for training and are deleted after "
         "seven days."),
        "Raise weekly reading practice time by 30% among active pupils.",
        (("Weekly practice minutes per active pupil", 35, 45, "Learning Products"),
         ("Parents rating the tutor safe", None, "90%", "Trust and Safety")),
        {"system_types": ["conversational_agent", "generative_text"],
         "model_source": "fine_tuned_third_party", "org_roles": ["provider", "deployer"],
         "deployer_type": ["private_company"],
         "capabilities": ["direct_interaction_with_persons"],
         "domain": "education_vocational_training", "purposes": ["content_generation"],
         "affected_subjects": ["minors", "students"], "decision_role": "informational",
         "decision_effect": "none", "data_sensitivity": "children",
         "personal_data_categories": ["identifiers", "education"],
         "data_sources": ["user_prompts", "first_party"], "scale_persons_per_year": "10k_1m",
         "interacts_directly_with_people": True, "ai_interaction_obvious": False,
         "external_facing": True, "output_marking": "metadata_c2pa", "genai_risks": _GENAI},
    ),
    Scenario(
        "wellbeing-assistant", "elevated",
        (("People and Culture", "PPL"), ("Occupational Health", "OH")),
        ("Employee wellbeing assistant", "Benefits and leave assistant"),
        ("Answer employees' questions about wellbeing programmes, sick leave and the "
         "employee assistance programme in the intranet chat. It points to the right service "
         "and never gives medical advice; questions are not linked to personnel files.",
         "Help employees find the right health benefit and book occupational-health "
         "appointments. It sees only the question and the employee's benefit plan."),
        "Double the use of the employee assistance programme within a year.",
        (("EAP sessions booked per quarter", 140, 280, "Occupational Health"),
         ("Questions answered without escalation", None, "75%", "People Services")),
        {"system_types": ["conversational_agent"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company", "employer"],
         "capabilities": ["direct_interaction_with_persons"],
         "domain": "employment_workers_management", "purposes": ["customer_support"],
         "affected_subjects": ["employees"], "decision_role": "informational",
         "decision_effect": "none", "data_sensitivity": "special_category",
         "personal_data_categories": ["identifiers", "health"],
         "data_sources": ["user_prompts"], "scale_persons_per_year": "100_10k",
         "interacts_directly_with_people": True, "ai_interaction_obvious": True,
         "workers_informed": True, "output_marking": "not_applicable"},
    ),
    Scenario(
        "benefit-presorting", "elevated",
        (("Social Security Office", "SSO"), ("Municipal Services", "MUN")),
        ("Benefit application pre-sorting", "Housing allowance file preparation"),
        ("Sort incoming benefit applications by the documents they contain and list the "
         "missing ones, so that caseworkers receive complete files. The system does not "
         "assess eligibility or rank applicants; the caseworker reviews every file from "
         "scratch.",
         "Prepare housing-allowance files for caseworkers by extracting the figures from "
         "payslips and rental contracts into the case form. Caseworkers check every figure "
         "and decide."),
        "Cut the time from application to decision by 20% without more appeals.",
        (("Days from application to decision", 41, 33, "Benefits Operations"),
         ("Appeals upheld per 1000 decisions", 18, 18, "Legal Service")),
        {"system_types": ["classifier", "nlp_extraction"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["public_authority"],
         "capabilities": [], "domain": "public_benefits_services",
         "purposes": ["benefit_eligibility"], "affected_subjects": ["benefit_claimants"],
         "annex_iii_declared": "5a", "decision_role": "decision_support_human_decides",
         "decision_effect": "minor", "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "financial", "contact"],
         "data_sources": ["customer_provided"], "scale_persons_per_year": "10k_1m",
         "art6_3_derogation": {
             "claimed": "preparatory_task", "performs_profiling": False,
             "materially_influences_outcome": False,
             "justification": "The system only prepares files; the caseworker assesses "
                              "eligibility on the complete file without any score.",
             "documented_on": "2026-03-02", "registered_art49_2": True},
         "registrations": {"eu_database_id": "EU-REG-49-2-000417"}},
        _s("eu"),
    ),
]

HIGH: list[Scenario] = [
    Scenario(
        "cv-ranking", "high",
        (("Human Resources", "HR"), ("Talent Acquisition", "TA")),
        ("Graduate CV ranking", "Application pre-screening", "Candidate shortlist scoring"),
        ("Rank applications for graduate programmes by how well the CV and answers match the "
         "role profile, so that recruiters start with the most relevant candidates. "
         "Recruiters read every application they reject; the ranking is never the only reason "
         "for a rejection.",
         "Score applicants' answers to the screening questions for customer-facing roles and "
         "suggest a shortlist. A recruiter decides whom to invite and can see why each "
         "candidate scored as they did."),
        "Cut time-to-shortlist from 15 to 5 working days with no drop in hiring-manager "
        "satisfaction.",
        (("Working days to shortlist", 15, 5, "Talent Acquisition"),
         ("Adverse impact ratio (selection rates)", 0.86, "at least 0.9", "HR Analytics")),
        {"system_types": ["scoring_ranking", "nlp_extraction"],
         "model_source": pick("third_party_api", "third_party_embedded_in_product"),
         "org_roles": ["deployer"], "deployer_type": ["private_company", "employer"],
         "capabilities": ["profiling_natural_persons"],
         "domain": "employment_workers_management",
         "purposes": pick(["recruitment_screening"],
                          ["recruitment_screening", "candidate_evaluation"]),
         "affected_subjects": ["job_applicants"], "annex_iii_declared": "4a",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["loss_of_employment_or_education", "discrimination"],
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "contact", "employment", "education"],
         "data_sources": ["customer_provided"], "scale_persons_per_year": "10k_1m",
         "workers_informed": True},
        _s("annex_iii", "high_risk", "eu"),
    ),
    Scenario(
        "credit-scoring", "high",
        (("Retail Banking", "RB"), ("Consumer Lending", "CL")),
        ("Consumer-loan credit scoring", "Overdraft limit scoring", "Buy-now-pay-later checks"),
        ("Score the creditworthiness of private individuals applying for unsecured consumer "
         "loans of up to EUR 50,000. Applications above the approval threshold are approved "
         "automatically; every decline and borderline score is decided by an underwriter, "
         "who sees the score, its main reasons and the applicant's file.",
         "Set and review overdraft limits for current-account customers from account "
         "behaviour and bureau data. Customers can ask for a manual review of any limit."),
        "Approve 10% more good applicants at the same default rate.",
        (("Approval rate", "58%", "64%", "Credit Risk"),
         ("12-month default rate of approved loans", "2.1%", "2.1%", "Credit Risk"),
         ("Decisions with reasons given", "100%", "100%", "Lending Operations")),
        {"system_types": ["classifier", "scoring_ranking"],
         "model_source": pick("third_party_embedded_in_product", "in_house_trained"),
         "org_roles": ["deployer"], "deployer_type": ["private_company",
                                                      "financial_institution"],
         "capabilities": ["profiling_natural_persons", "risk_assessment_of_natural_persons"],
         "domain": "credit_lending", "purposes": ["creditworthiness_natural_person"],
         "affected_subjects": ["consumers", "borrowers"], "annex_iii_declared": "5b",
         "decision_role": "human_on_the_loop_can_override",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["denial_of_service_or_benefit", "financial_loss",
                              "discrimination"],
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "contact", "financial", "employment"],
         "data_sources": ["customer_provided", "first_party", "third_party_licensed"],
         "scale_persons_per_year": "10k_1m", "explanation_available":
             "with_every_adverse_decision"},
        _s("annex_iii", "high_risk", "eu"),
    ),
    Scenario(
        "exam-proctoring", "high",
        (("Online Learning", "OLN"), ("Examinations Office", "EXM")),
        ("Remote exam proctoring", "Online test integrity monitoring"),
        ("Monitor students taking online exams through their webcam and screen, and flag "
         "possible cheating such as a second person or a phone. An invigilator reviews every "
         "flag after the exam; a flag alone never leads to a sanction.",
         "Check the identity of candidates at the start of remote certification tests and "
         "flag suspicious behaviour during the test for the exam board."),
        "Offer remote exams to all distance students with no rise in integrity incidents.",
        (("Exams taken remotely", "0%", "60%", "Examinations Office"),
         ("Flags upheld by invigilators", None, "above 50%", "Examinations Office")),
        {"system_types": ["computer_vision", "classifier"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["education_institution",
                                                      "body_governed_by_public_law"],
         "capabilities": ["biometric_verification_1to1"],
         "biometric_context": {"real_time": True, "publicly_accessible_space": False,
                               "law_enforcement_purpose": False, "le_objective": "none"},
         "domain": "education_vocational_training", "purposes": ["exam_proctoring"],
         "affected_subjects": ["students"], "annex_iii_declared": "3d",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["loss_of_employment_or_education", "privacy_intrusion"],
         "data_sensitivity": "biometric",
         "personal_data_categories": ["identifiers", "biometric", "education"],
         "data_sources": ["first_party"], "scale_persons_per_year": "10k_1m",
         "registrations": {"eu_database_id": "EU-DB-2026-31877"}},
        _s("annex_iii", "high_risk", "public", "eu"),
    ),
    Scenario(
        "store-face-recognition", "high",
        (("Retail Security", "RET"), ("Loss Prevention", "LP")),
        ("Store entrance face matching", "Repeat-offender alerts in stores"),
        ("Compare the faces of people entering our stores, captured live by entrance cameras, "
         "with a watchlist of individuals involved in documented thefts or violence against "
         "staff, and alert two trained security staff, who must both confirm the match "
         "before approaching the person. Faces that do not match are deleted immediately.",
         "Alert store security when a person banned from the store for violence enters, "
         "based on live camera images. Two staff confirm every alert; non-matches are not "
         "stored."),
        "Reduce repeat violent incidents in pilot stores by 25%.",
        (("Repeat incidents per store per month", 6.5, 4.9, "Retail Loss Prevention"),
         ("False match rate confirmed by staff", None, "below 1 in 10000", "Security Ops")),
        {"system_types": ["computer_vision"], "model_source": "third_party_embedded_in_product",
         "org_roles": ["deployer"], "deployer_type": ["private_company"],
         "capabilities": ["remote_biometric_identification"],
         "biometric_context": {"real_time": True, "publicly_accessible_space": True,
                               "law_enforcement_purpose": False, "le_objective": "none",
                               "judicial_authorisation": False, "fria_done": False,
                               "registered": False, "sensitive_traits_inferred": []},
         "domain": "biometrics", "purposes": ["identification_access_control"],
         "affected_subjects": ["consumers", "general_public"], "annex_iii_declared": "1a",
         "decision_role": "decision_support_human_decides", "decision_effect": "minor",
         "adverse_outcomes": ["privacy_intrusion", "discrimination"],
         "data_sensitivity": "biometric", "personal_data_categories": ["biometric"],
         "data_sources": ["cctv_or_sensor"], "scale_persons_per_year": "gt_1m",
         "human_oversight": {"can_override": True, "stop_mechanism": True,
                             "overseers_trained": True, "two_person_verification": True}},
        _s("annex_iii", "high_risk", "eu"),
    ),
    Scenario(
        "health-insurance-pricing", "high",
        (("Health Insurance", "HI"), ("Life and Pensions", "LIFE")),
        ("Health insurance risk pricing", "Term-life underwriting score"),
        ("Estimate the expected claims cost of applicants for private health insurance from "
         "the health questionnaire and set the premium band. Underwriters review every "
         "application placed in the highest band or declined.",
         "Score term-life applications for mortality risk to decide which need medical "
         "underwriting. Underwriters take every decline decision."),
        "Halve underwriting time for standard risks while keeping the loss ratio on plan.",
        (("Days to underwriting decision", 6, 3, "Underwriting"),
         ("Loss ratio", "78%", "78%", "Actuarial")),
        {"system_types": ["regression_forecast", "scoring_ranking"],
         "model_source": "in_house_trained", "org_roles": ["provider", "deployer"],
         "deployer_type": ["private_company", "insurer"],
         "capabilities": ["profiling_natural_persons", "risk_assessment_of_natural_persons"],
         "domain": "insurance_life_health", "purposes": ["insurance_pricing_life_health"],
         "affected_subjects": ["insured_persons", "consumers"], "annex_iii_declared": "5c",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["financial_loss", "denial_of_service_or_benefit",
                              "discrimination"],
         "data_sensitivity": "special_category",
         "personal_data_categories": ["identifiers", "health", "financial"],
         "data_sources": ["customer_provided", "first_party"],
         "scale_persons_per_year": "10k_1m", "trains_on_customer_or_user_data": True},
        _s("annex_iii", "high_risk", "eu"),
    ),
    Scenario(
        "shift-allocation", "high",
        (("Logistics", "LOG"), ("Warehouse Operations", "WH"), ("Last Mile", "LM")),
        ("Warehouse shift allocation", "Courier route assignment", "Picker performance insights"),
        ("Allocate warehouse shifts and picking zones to staff from their past productivity, "
         "skills and availability, and show team leads weekly performance insights. Team "
         "leads confirm the plan and employees can swap shifts.",
         "Assign delivery routes to couriers from their history of on-time deliveries and "
         "their availability. Couriers can contest an assignment with the dispatcher."),
        "Cut overtime by 15% while keeping on-time dispatch above 98%.",
        (("Overtime hours per week", 900, 760, "Warehouse Operations"),
         ("On-time dispatch", "97.4%", "98%", "Logistics Control")),
        {"system_types": ["optimisation_control", "scoring_ranking"],
         "model_source": pick("in_house_trained", "third_party_api"),
         "org_roles": pick(["provider", "deployer"], ["deployer"]),
         "deployer_type": ["private_company", "employer"],
         "capabilities": ["profiling_natural_persons"],
         "domain": "employment_workers_management",
         "purposes": pick(["task_allocation_by_behaviour"],
                          ["task_allocation_by_behaviour", "worker_performance_monitoring"]),
         "affected_subjects": pick(["employees"], ["employees", "gig_workers"]),
         "annex_iii_declared": "4b", "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["loss_of_employment_or_education", "psychological_harm"],
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "employment", "behavioural", "location"],
         "data_sources": ["first_party", "cctv_or_sensor"], "scale_persons_per_year": "100_10k",
         "workers_informed": True},
        _s("annex_iii", "high_risk", "eu"),
    ),
    Scenario(
        "emergency-triage", "high",
        (("Emergency Services", "EMS"), ("Regional Ambulance Service", "RAS")),
        ("Emergency call triage support", "Ambulance dispatch prioritisation"),
        ("Listen to emergency calls and suggest a priority category and the closest suitable "
         "ambulance to the dispatcher while the call is ongoing. The dispatcher always takes "
         "the decision and can ignore the suggestion.",
         "Rank pending ambulance requests by urgency from the call-taker's notes and vital "
         "signs reported. The dispatch supervisor confirms the order."),
        "Cut time to dispatch for the highest-priority calls by 30 seconds.",
        (("Median seconds to dispatch (priority 1)", 95, 65, "Dispatch Centre"),
         ("Under-triaged calls in clinical audit", "3%", "below 2%", "Medical Director")),
        {"system_types": ["classifier", "speech"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"],
         "deployer_type": ["public_authority", "emergency_service"],
         "capabilities": [], "domain": "emergency_services",
         "purposes": ["emergency_call_triage_dispatch"],
         "affected_subjects": ["general_public", "patients"], "annex_iii_declared": "5d",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["physical_harm"], "data_sensitivity": "special_category",
         "personal_data_categories": ["identifiers", "health", "location"],
         "data_sources": ["first_party"], "scale_persons_per_year": "10k_1m",
         "registrations": {"eu_database_id": "EU-DB-2026-10552"}},
        _s("annex_iii", "high_risk", "public", "eu"),
    ),
    Scenario(
        "nyc-hiring-tool", "high",
        (("Talent Acquisition US", "TAUS"), ("Corporate Recruiting", "REC")),
        ("Video interview scoring (New York)", "Candidate assessment scoring for NYC roles"),
        ("Score recorded video interviews of candidates for roles based in New York City on "
         "job-related competencies and suggest whom to invite to the next round. Recruiters "
         "make every decision and candidates may ask for an alternative process.",
         "Rank applicants for New York store roles by their answers to a situational "
         "judgement test. Hiring managers choose whom to interview."),
        "Cut time-to-hire for NYC roles by a third.",
        (("Days to hire", 42, 28, "Talent Acquisition US"),
         ("Impact ratio by sex and race/ethnicity", 0.84, "at least 0.9", "People Analytics")),
        {"jurisdictions": pick(["US_NYC"], ["US_NYC", "US_other"]), "eu_nexus": ["none"],
         "system_types": ["scoring_ranking"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company", "employer"],
         "capabilities": ["profiling_natural_persons"],
         "domain": "employment_workers_management", "purposes": ["candidate_evaluation"],
         "affected_subjects": ["job_applicants"], "annex_iii_declared": "none",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "employment"],
         "data_sources": ["customer_provided"], "scale_persons_per_year": "10k_1m",
         "nyc_aedt": {"used_for": "hiring", "nyc_candidates": True,
                      "substantially_assists_or_replaces": True},
         "affected_person_notice": "10_business_days_before"},
    ),
    Scenario(
        "colorado-lending", "high",
        (("US Consumer Lending", "USCL"), ("Auto Finance US", "AFUS")),
        ("Auto-loan pricing model (Colorado)", "Personal loan decision support (US)"),
        ("Recommend approve, refer or decline and an interest-rate tier for auto-loan "
         "applications from Colorado dealers. Credit officers decide every referral and "
         "decline and give the reasons to the applicant.",
         "Support loan officers deciding personal loans in Colorado with a risk grade and the "
         "main factors behind it."),
        "Raise approvals by 5% at the same loss rate.",
        (("Approval rate", "61%", "66%", "US Credit Risk"),
         ("Net loss rate", "1.8%", "1.8%", "US Credit Risk")),
        {"jurisdictions": pick(["US_CO"], ["US_CO", "US_other"]), "eu_nexus": ["none"],
         "system_types": ["scoring_ranking"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"],
         "deployer_type": ["private_company", "financial_institution"],
         "capabilities": ["profiling_natural_persons"], "domain": "credit_lending",
         "purposes": ["creditworthiness_natural_person"],
         "affected_subjects": ["consumers", "borrowers"], "annex_iii_declared": "none",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "consequential_decision_areas": ["financial_lending"],
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "financial", "employment"],
         "data_sources": ["customer_provided", "third_party_licensed"],
         "scale_persons_per_year": "10k_1m"},
    ),
    Scenario(
        "canada-benefit-triage", "high",
        (("Benefits Delivery (Canada)", "GCBD"), ("Immigration Services (Canada)", "GCIS")),
        ("Benefit claim triage (Canada)", "Work-permit application triage"),
        ("Sort incoming benefit claims into routine and complex streams so that routine "
         "claims are processed first. An officer makes every decision; the triage never "
         "refuses a claim.",
         "Group work-permit applications by complexity so that officers can handle routine "
         "ones faster. Officers decide every application."),
        "Cut processing time for routine claims by 40%.",
        (("Median days to decision (routine)", 28, 17, "Program Operations"),
         ("Complex claims misrouted as routine", None, "below 3%", "Quality Assurance")),
        {"jurisdictions": ["CA_federal"], "eu_nexus": ["none"],
         "system_types": ["classifier"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["public_authority"],
         "capabilities": [], "domain": "public_benefits_services",
         "purposes": ["benefit_eligibility"], "affected_subjects": ["benefit_claimants"],
         "annex_iii_declared": "none", "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "reversibility": "difficult_to_reverse", "impact_duration": "ongoing",
         "ca_federal_admin_decision": True, "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "financial"],
         "data_sources": ["customer_provided"], "scale_persons_per_year": "10k_1m",
         "assessments": {"canada_aia": {"completed": True, "impact_level": "III",
                                        "raw_score": 52, "mitigation_score": 31}}},
    ),
    Scenario(
        "automated-claims", "high",
        (("Motor Claims", "CLM"), ("Travel Insurance", "TRV")),
        ("Automatic claim settlement", "Instant travel-delay payouts"),
        ("Settle simple motor-glass claims automatically when the photos, policy and repair "
         "quote are consistent, and pay the repairer. Declined claims are sent with reasons "
         "and the customer can ask a claims handler to review the decision.",
         "Pay travel-delay compensation automatically when flight data confirm the delay and "
         "the policy covers it. Customers can contest any refusal with a claims handler."),
        "Settle 60% of eligible claims within one hour.",
        (("Eligible claims settled within one hour", "5%", "60%", "Claims Operations"),
         ("Automatic decisions overturned on review", None, "below 2%", "Claims Quality")),
        {"system_types": ["classifier", "computer_vision"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["private_company", "insurer"],
         "capabilities": [], "domain": "insurance_other", "purposes": ["insurance_pricing_other"],
         "affected_subjects": ["insured_persons", "consumers"], "annex_iii_declared": "none",
         "decision_role": "fully_automated",
         "decision_effect": "legal_or_similarly_significant",
         "adverse_outcomes": ["financial_loss", "denial_of_service_or_benefit"],
         "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "financial", "location"],
         "data_sources": ["customer_provided", "third_party_licensed"],
         "scale_persons_per_year": "10k_1m", "appeal_or_human_review": True},
    ),
    Scenario(
        "machine-safety-vision", "high",
        (("Industrial Automation", "IA"), ("Robotics Products", "ROB")),
        ("Vision-based safety stop for robot cells", "Press-brake hand detection"),
        ("A camera system inside our collaborative robot cells that detects a person's hand "
         "or body within the danger zone and triggers the safety stop. It is part of the "
         "machine we sell and is certified with it.",
         "Detect hands near the tool of our press brakes and stop the ram before contact; "
         "sold as a safety option with the machine."),
        "Reach performance level d with fewer nuisance stops than light curtains.",
        (("Nuisance stops per shift", 3.2, 1.0, "Product Engineering"),
         ("Detection latency (ms)", 60, 35, "Safety Engineering")),
        {"system_types": ["computer_vision", "optimisation_control"],
         "model_source": "in_house_trained", "org_roles": ["provider", "product_manufacturer"],
         "deployer_type": ["private_company"], "capabilities": ["safety_function"],
         "safety_component": {"is_safety_component": True,
                              "failure_endangers_health_safety": True},
         "annex_i_product": {"legislation": "machinery", "third_party_conformity_required": True,
                             "ai_is_the_product": False},
         "domain": "other", "purposes": ["pattern_deviation_detection"],
         "affected_subjects": ["employees"], "annex_iii_declared": "none",
         "decision_role": "no_decision_about_people", "decision_effect": "none",
         "adverse_outcomes": ["physical_harm"], "data_sensitivity": "internal",
         "personal_data_categories": [], "data_sources": ["cctv_or_sensor", "synthetic"],
         "scale_persons_per_year": "100_10k", "agentic_actions": "physical_actuation"},
        _s("high_risk", "eu"),
    ),
]

PROHIBITED: list[Scenario] = [
    Scenario(
        "workplace-emotion", "prohibited",
        (("Contact Centre", "CC"), ("Customer Operations", "COP")),
        ("Agent emotion analytics", "Call-centre stress scoring"),
        ("Analyse the voice of contact-centre agents during customer calls to detect "
         "frustration, stress and enthusiasm, and feed a weekly emotion score per agent into "
         "team leaders' coaching sessions and the annual performance review.",
         "Score agents' emotional state from their voice on every call and alert team leads "
         "when an agent sounds disengaged."),
        "Raise customer satisfaction by coaching agents on their emotional tone.",
        (("Customer satisfaction", 3.9, 4.3, "Customer Operations"),),
        {"system_types": ["speech", "classifier"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company", "employer"],
         "capabilities": ["emotion_recognition", "profiling_natural_persons"],
         "emotion_context": {"setting": "workplace", "purpose": "other",
                             "subjects": "employees", "inferred_from_biometrics": True},
         "domain": "employment_workers_management",
         "purposes": ["worker_performance_monitoring"], "affected_subjects": ["employees"],
         "annex_iii_declared": "4b", "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "data_sensitivity": "biometric",
         "personal_data_categories": ["biometric", "employment"],
         "data_sources": ["first_party"], "scale_persons_per_year": "100_10k"},
        _s("eu", "prohibited"),
    ),
    Scenario(
        "tenant-social-score", "prohibited",
        (("Property Management", "PM"), ("Housing Services", "HSG")),
        ("Tenant trust score", "Resident reliability rating"),
        ("Score tenants over time on their payment history, complaints from neighbours and "
         "social-media activity, and use the score to decide access to our other services, "
         "parking and priority repairs.",
         "Rate residents' reliability from their behaviour in the building and online, and "
         "share the rating with partner landlords and utilities."),
        "Reduce arrears and complaints across the portfolio.",
        (("Arrears rate", "4.8%", "3.5%", "Property Management"),),
        {"system_types": ["scoring_ranking"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["private_company"],
         "capabilities": ["social_scoring", "profiling_natural_persons"],
         "social_scoring_context": {"evaluation_over_time": True,
                                    "used_in_unrelated_context": True,
                                    "disproportionate_treatment": True},
         "domain": "housing", "purposes": ["other"], "affected_subjects": ["consumers"],
         "decision_role": "human_on_the_loop_can_override",
         "decision_effect": "legal_or_similarly_significant", "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "financial", "behavioural"],
         "data_sources": ["first_party", "public_web_scrape"],
         "scale_persons_per_year": "10k_1m"},
        _s("eu", "prohibited"),
    ),
    Scenario(
        "face-scraping", "prohibited",
        (("Security Innovation", "SEC"), ("Investigations", "INV")),
        ("Face search database from public images", "Open-web face index"),
        ("Collect face images from public websites and social media at scale to build a face "
         "search index that investigators can query with a photo.",
         "Extend our face-matching database by crawling public photo sites and CCTV archives "
         "shared by partners."),
        "Identify persons of interest in minutes instead of days.",
        (("Median time to identification (hours)", 30, 1, "Investigations"),),
        {"system_types": ["computer_vision"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["private_company"],
         "capabilities": ["untargeted_facial_scraping", "remote_biometric_identification"],
         "biometric_context": {"real_time": False, "publicly_accessible_space": False,
                               "law_enforcement_purpose": False},
         "domain": "biometrics", "purposes": ["identification_access_control"],
         "affected_subjects": ["general_public"], "annex_iii_declared": "1a",
         "decision_role": "decision_support_human_decides", "decision_effect": "minor",
         "data_sensitivity": "biometric", "personal_data_categories": ["biometric"],
         "data_sources": ["public_web_scrape", "cctv_or_sensor"],
         "scale_persons_per_year": "gt_1m"},
        _s("eu", "prohibited"),
    ),
    Scenario(
        "dark-pattern-upsell", "prohibited",
        (("Growth Marketing", "GRW"), ("Subscriptions", "SUB")),
        ("Personalised cancellation-flow nudges", "Subliminal upsell prompts"),
        ("Personalise the subscription cancellation flow with timed prompts and imagery "
         "designed to exploit each user's impulsivity, so that users keep paying for plans "
         "they wanted to cancel.",
         "Insert barely perceptible cues into the checkout flow that push users towards "
         "more expensive plans."),
        "Cut cancellations by 20%.",
        (("Monthly churn", "3.1%", "2.5%", "Growth Marketing"),),
        {"system_types": ["recommender", "generative_image"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company"],
         "capabilities": ["subliminal_or_manipulative_techniques", "profiling_natural_persons"],
         "manipulation_context": {"vulnerability_exploited": "none",
                                  "behaviour_distortion": True,
                                  "significant_harm_likely": "yes"},
         "domain": "marketing_advertising", "purposes": ["other"],
         "affected_subjects": ["consumers"], "decision_role": "fully_automated",
         "decision_effect": "minor", "data_sensitivity": "personal",
         "personal_data_categories": ["identifiers", "behavioural"],
         "data_sources": ["first_party"], "scale_persons_per_year": "gt_1m",
         "appeal_or_human_review": False, "external_facing": True},
        _s("eu", "prohibited"),
    ),
    Scenario(
        "predictive-policing", "prohibited",
        (("Police Analytics Unit", "PAU"), ("Public Safety", "PS")),
        ("Offender risk prediction from profiles", "Street-crime risk flags"),
        ("Predict which residents are likely to commit burglary from their demographic "
         "profile, social network and personality indicators, and pass the list to patrol "
         "teams.",
         "Flag young people at risk of offending from school, family and neighbourhood "
         "profiles for proactive police contact."),
        "Reduce burglaries by 15%.",
        (("Burglaries per 1000 households", 7.2, 6.1, "Public Safety"),),
        {"system_types": ["scoring_ranking"], "model_source": "in_house_trained",
         "org_roles": ["provider", "deployer"], "deployer_type": ["law_enforcement_authority"],
         "capabilities": ["profiling_natural_persons", "risk_assessment_of_natural_persons"],
         "crime_risk_context": {"based_solely_on_profiling_or_traits": True,
                                "supports_human_assessment_on_objective_facts": False},
         "domain": "law_enforcement", "purposes": ["offending_risk_assessment"],
         "affected_subjects": ["general_public", "minors"], "annex_iii_declared": "6d",
         "decision_role": "decision_support_human_decides",
         "decision_effect": "legal_or_similarly_significant",
         "data_sensitivity": "criminal_offence",
         "personal_data_categories": ["identifiers", "criminal", "location"],
         "data_sources": ["first_party", "third_party_licensed"],
         "scale_persons_per_year": "10k_1m"},
        _s("eu", "prohibited"),
    ),
    Scenario(
        "audience-belief-analytics", "prohibited",
        (("Retail Media", "RM"), ("Venue Analytics", "VEN")),
        ("In-store audience profiling", "Event audience analytics"),
        ("Infer the religion and political leaning of shoppers from in-store camera images "
         "to target screen advertising in our stores.",
         "Categorise event visitors by inferred ethnicity and religion from entrance cameras "
         "for sponsor reports."),
        "Raise retail-media revenue by 25%.",
        (("Retail media revenue (MEUR)", 12, 15, "Retail Media"),),
        {"system_types": ["computer_vision", "classifier"], "model_source": "third_party_api",
         "org_roles": ["deployer"], "deployer_type": ["private_company"],
         "capabilities": ["biometric_categorisation_sensitive_traits"],
         "biometric_context": {"real_time": True, "publicly_accessible_space": True,
                               "sensitive_traits_inferred": ["religion_belief",
                                                             "political_opinion"],
                               "dataset_labelling_or_filtering": False},
         "domain": "marketing_advertising", "purposes": ["other"],
         "affected_subjects": ["consumers", "general_public"], "annex_iii_declared": "1b",
         "decision_role": "no_decision_about_people", "decision_effect": "minor",
         "data_sensitivity": "biometric", "personal_data_categories": ["biometric"],
         "data_sources": ["cctv_or_sensor"], "scale_persons_per_year": "gt_1m"},
        _s("eu", "prohibited"),
    ),
]

VALID = LOW + ELEVATED + HIGH
ALL = VALID + PROHIBITED
