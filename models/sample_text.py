"""AP23/07's own wording, for the sample: each recommendation's findings and
improvement-required paragraphs, in the paper's order (paragraphs 1.4 to 1.82), and its
closing sections 3 to 5. A paragraph's later lines are its list ("- …")."""

from __future__ import annotations

FINDINGS: dict[int, tuple[str, ...]] = {
    1: (
        "The Constabulary works closely with safeguarding partners to ensure appropriate arrangements for children who need safe places to stay are in place.",
        "The Suffolk Safeguarding Partnership has introduced formal escalation and risk register processes to help resolve complex safeguarding concerns raised by organisations.",
        "The process has increased alternative accommodation for children charged with criminal offences, and denied bail before their court appearances.",
        "The Local Authority and Suffolk Constabulary are aware of national shortages for secure accommodation for detained children, and are proactively engaged with the local community to increase specialist foster care provision with training in place.",
        "The Local Authority and Police are still developing understanding and practises around children taken into police protection. A multi-agency audit process is underway to review a selection of cases to identify any learning for either agency in relation to risk assessment, or improve working practices. The Constabulary is demonstrating an open, professional partnership with determination to improve communication to support better joint child protection work.",
    ),
    2: (
        "Arrangements to reduce risk for missing children have improved, with better processes in place to reduce the risk for children who go missing on a regular basis.",
        "In February 2023 the Constabulary introduced a new policy for missing children, which is compliant with the College of Policing (CoP), Authorised Professional Practise (APP) and includes Contact and Control Room (CCR) Staff grading all missing children as either medium or high risk. However, it was observed this was not always followed.",
        "A specialist missing person system (COMPACT) is used to record details of all missing children, and automatically shared with the Multi-Agency Safeguarding Hub (MASH), and also the Constabulary's Missing Person Advisors (MPA), who share appropriately with the local authority to improve knowledge of information around children regularly going missing.",
        "HMICFRS observed significant improvement in local authority completion and submission of 'return home interviews'.",
        "The Constabulary promotes the use of the Philomena protocol, providing staff within children's home guidance to understand their responsibilities and requirements of when to contact police. It was noted the roll out of this protocol was not complete, but had already significantly reduced the number of 'looked after children' reported missing. This enabled police to direct their focus to children at higher risk and prevent unfair stigmatisation of 'looked after children' inappropriately reported missing from home.",
        "Police and partners support the expansion of Op Encompass, developing this initiative to inform schools of missing episodes so all available information can be shared and safeguarding measures considered.",
        "Specialist Intelligence personnel are available in the CCR from 0700-0200hrs, but this does leave a period of 5 hours, however the CCR are training some personnel on specialist intelligence training to manage this gap.",
        "Observed CCR personnel are effectively checking police systems to assist risk assessment of missing children, and appropriately direct frontline officers.",
        "Frontline officers confirmed having additional training around COMPACT system.",
        "Regular missing children are included in Force wide daily management meetings and taskings to ensure sufficient resource allocation.",
        "An example was raised of a supervisor using 'victim blaming' language (\"it is not unusual behaviour\").",
        "MPA's review repeat \"missing children and were missing more than three times in 42 days\". They create a response plan which is flagged on police systems. It was noted these plans had much improved as had the knowledge/awareness by frontline officers. It was noted MPA's also consider multi agency strategy meetings and review risks around child sexual exploitation (CSE)/CCA, drug use, and mental health vulnerability.",
        "MPA's are effectively using information available on COMPACT and other systems to identify children who should be part of monthly multi agency missing person meetings.",
        "It was identified where children were located promptly, COMPACT records were not always created. Whilst this was not raised as an issue, it was identified MPA's should review Protecting Vulnerable People (PVP) entries to obtain true accounts of potential missing episodes.",
    ),
    3: (
        "Information sharing and risk assessment processes have improved.",
        "Managers have reviewed and improved the MASH processes, namely;\n- Police researchers regularly using Police National Database (PND) in their assessments\n- All domestic abuse incidents affecting children under the age of five are automatically referred to children services\n- Children's services routinely notified of all cases where children are assessed as vulnerable due to domestic abuse, risk of exploitation, or have been missing from home; and\n- Ensuring information about cumulative risk is routinely included.",
        "Additional training has been provided to MASH decision makers with updated guidance around additional sharing of information, reinforcing research of all available systems to consider cumulative risk of repeat low level incidents.",
        "MASH processes identify children at contextual risk of exploitation. MASH personnel check COMPACT and Local Authority systems for missing children, informing the Local Authority Missing Person Co-ordinator and any allocated Social Worker.",
        "The Constabulary records and updates risk assessments for children vulnerable to exploitation, sharing this information with the Local Authority and is used to devise plans to reduce risk at Multi-Agency Child Exploitation (MACE) meetings.",
        "Managers effectively audit MASH processes, which provides quality assurance.",
        "It is noted Police MASH does not operate over the weekend, so there are some delays to other organisations, but effective prioritisation processes meant delays were not excessive.",
        "Effective use of ARTHUR mnemonic and MASH staff provided feedback for poor or high quality referrals.",
    ),
    4: (
        "There is clear guidance and an allocation policy for investigating online child abuse.",
        "Investigating officers refer child victims of online abuse to the MASH, ensuring information of wider risks are shared and, where relevant, schools are included in strategy meetings, providing better support to children and families.",
        "Managers from the Specialist Internet Child Abuse Investigation Team (ICAIT) provide training for all new officers, detective constable courses, and those on specialist child protection courses.",
        "Increase in ICAIT personnel has effectively increased capacity, and this includes Digital Support Officers (DSO's) to provide specialist advice and assistance.",
    ),
    5: (
        "Leaders and managers have good quality information so they can prioritise safeguarding for vulnerable children.",
        "The Constabulary's Child Protection Delivery Board oversees work to improve its child protection and safeguarding services, with leaders feeding in knowledge of issues around vulnerability, missing, exploitation, and specialist child protection investigations from attendance at other Constabulary meetings.",
        "Leaders use Power BI technology to assess and understand the levels of demand and monitor results of actions to protect children from harm.",
        "It was evident managers were reinforcing the importance of recording the 'voice of the child', and it was highlighted as a training need. Innovative mnemonic ARTHUR was seen to be increasingly used by non-specialist officers.",
        "It was noted the limited used of 'ARTHUR' by specialist officers, however confident voice of the child is often captured in more complex investigations through joint visits and through documentation from social workers.",
        "Good evidence of the Constabulary using intelligence and analytical products to support Suffolk Safeguarding Partnership (SSP) work.",
        "Timely assessment of intelligence, appropriate tasking of urgent action through daily management meetings, with more complex cases being raised to monthly tasking meetings or multi agency risk management meetings (such as MACE).",
        "Each area had dedicated personnel to provide intelligence to daily briefings to assist in the management of threat, harm, and risk of vulnerable people in the community.",
        "Positive observations around disruption plans in the Southern Area, focused around the 4P approach, providing clear operational methodology and appropriate resource allocation, showing an effective organisational response to addressing complex or group based CSE risks.",
        "Whilst this recommendation was signed off, there were further improvements identified which will be monitored by the Constabulary.",
        "It was identified the Constabulary could do more to develop information around child sexual exploitation (CSE) risk. Safeguarding partners were able to share information on CSE through MASH referrals, but there was no evidence of discussions within MACE meetings.",
        "The Constabulary requires a CSE intelligence profile to inform strategic decision making and help specialists develop comprehensive and layered tactical approaches to deal with the complex risk.",
        "A CSE profile has been compiled by SBOS, but is currently under review to ascertain information contained and how this will be shared internally, and externally with partners to provide direction and prioritise actions, significantly in identifying new/emerging risks.",
        "Some concern that risk of CSE in some sexual abuse investigations is not always readily identified by investigating officers or intelligence specialists, therefore missing opportunities to disrupt CSE perpetrators.",
        "Consistent messaging around this priority action continues, with mandatory generic training and more focused training to intelligence departments around their core functions and opportunities to identify and manage risks.",
    ),
    6: (
        "Constabulary and Safeguarding partners have reviewed the terms of reference and operational practises for multi-agency risk management meetings (MACE and Missing Tasking & Co-ordination meetings).",
        "Attendees reviewed, with education and additional third sector organisations routinely invited, increasing information shared and support offered.",
        "All children adopted to MACE are risk assessed using a recently revised partnership risk assessment tool. This tool is used to monitor the results of the services / activities provided to the child, and identifies which children will be adopted to MACE.",
        "Effective use of Athena Flag for children adopted to MACE, which informs frontline officers. This is removed when released from MACE. Best practice of other forces using CSE markers more broadly to encourage greater intelligence gathering.",
        "Multi agency risk management of missing children is more effective, holding monthly multi agency meetings to manage and reduce risk to vulnerable children when missing. This process compliments MACE meetings.",
        "Risks to children were clearly prioritised through Multi-Agency Risk Assessment Conference (MARAC) meetings.",
    ),
    7: (
        "In 2022, HMICFRS found the Constabulary worked closely with safeguarding partners to plan safeguarding activities through multi agency risk management meetings, but identified terms of reference and agendas were sometimes insufficiently focused, causing duplication of activity, some overlapping of case management and, in cases of MARAC, concerns affected children were not always considered.",
        "The Partnership have reviewed Multi Agency Criminal Exploitation (MACE) meetings and missing person meetings, which has resulted in the involvement of education and voluntary sector organisations. Pre-MACE meetings are held which ensure appropriate subjects are discussed, and avoids any overlap or duplication.",
        "During the inspection HMICFRS attended a MARAC meeting and observed it was well chaired with good attendance from multi agencies. Good safeguarding considerations of affected children were observed, but concerns raised around the lack of review of actions raised at previous meetings.",
        "Police participate in multi-agency reviews of the MARAC process, which includes review of action allocation, accountability and updates.",
    ),
    8: (
        "There are better systems to secure timely forensic digital evidence, with a service level agreement for the timeliness of examinations.",
        "The Constabulary has introduced advanced equipment to speed up and increase Digital Forensic Unit (DFU) capacity. Managers are solution focused, using various examination systems to aid triage and retrieval of evidence.",
        "Additional DSOs are trained to support online investigators by triaging digital devices before officers make forensic submissions. This has been identified by HMICFRS as an effective and efficient practice to prioritise submissions.",
        "The Cybercrime department have Digital Media Investigators (DMIs) who offer good specialist digital forensic triage and are available to assist with planned operations.",
        "ICAIT officers use digital triage equipment during operations to assist with relevance of seizures.",
    ),
    9: (
        "The Constabulary has improved its use of Child Abuse Image Database (CAID).",
        "The Constabulary has employed two Victim Identification Officers (VID), who upload images to CAID and can assist by attending searches/crime scenes or advising investigators. VIDs also proactively search Constabulary systems to identify further investigations and upload additional images.",
        "VIDs are new roles, but the organisation is seeking to increase the use of CAID including location identification of crime scenes and facial mapping to identify victims.",
        "The Constabulary are seeking to invest in increasing bandwidth of digital link to CAID to improve efficiency.",
    ),
    10: (
        "There are improved arrangements to provide alternative accommodation to detained children with good multi agency arrangements and escalation processes in place.",
        "The Constabulary holds regular meetings with partners to ensure detention facilities are as good as possible, with all cells approved for child detention.",
        "Revised guidance about accommodation options for detained children (Harbinger protocol) has been circulated to Custody Sgts, with intrusive checks completed by Inspectors to ensure compliance.",
        "Custody personnel contacted the Local Authority for alternative accommodation in all cases. Sufficient documentation around suitability of accommodation, however custody personnel need to ensure reasons for refusal of local authority accommodation are recorded in all instances.",
        "Good performance data is used to maintain effective custody arrangements, informing daily management meetings, and being shared with partners.",
    ),
}
IMPROVEMENT: dict[int, tuple[str, ...]] = {
    2: (
        "Improved CCR risk assessments and supervision of missing children were observed, but some delays were still evident in various elements including initial risk assessment, through to the Area Inspector acknowledging responsibility and allocation of tasks, significantly where children are missing overnight. Therefore, supervision of missing children can be inconsistent and delayed. Work continues with further training inputs to CCR staff around the importance of prompt risk assessment and allocation. Missing children are routinely discussed at daily management meetings to ensure appropriate risk assessment and task allocation, and this also ensures individuals are held to account for prompt action including overnight.",
        "Inconsistency in the recording of a child's ethnicity or cultural heritage was observed throughout the inspection. It was highlighted that the recording of children's ethnicity and cultural heritage remains inconsistent, which can impact on their engagement and support with services. Leaders were aware and identified insufficient training and supervisory oversight. Recommendations have been made through Seven Forces regarding compulsory fields within the Athena system to ensure completion of ethnicity and cultural heritage, currently awaiting update.",
    ),
    4: (
        "HMICFRS found frontline officers lack the knowledge and skills to effectively investigate online child abuse. A recent internal audit (June 2023) showed officers not always applying the current guidance in respect of online child abuse investigations.",
        "Investigators are not always considering the risk to siblings or friends of the victim, and need to ensure:\n- Voice of the child is considered\n- Consideration of wider safeguarding elements; and\n- More robust supervision.\nInvestigations of online child abuse was covered in recent Local Policing mandatory training, informing officers of the policy and application.",
        "Positive feedback was received in relation to literature available, but further work is required to ensure frontline officers are aware of the policy, to ensure appropriate investigation and safeguarding, with potential opportunities to include appropriate images on the Child Abuse Image Database (CAID).",
    ),
    6: (
        "Multi-agency meetings for families at risk from domestic abuse (MARAC) have some ineffective and inefficient processes. Actions are not SMART and organisations are not held to account.",
        "It was acknowledged this meeting structure is currently under multi agency review, which includes the review of action allocation and accountability.",
    ),
    9: (
        "Whilst many frontline officers were aware of CAID, they were not sighted on its full capacity and therefore inconsistent in its use. Managers need to ensure wider understanding and consistency in the use of CAID.",
        "Benchmarking has been carried out with other forces to ascertain opportunities for increased use of CAID. The introduction and training of VID officers will hopefully provide additional opportunities for uploading of data and also training, education of the process for staff.",
    ),
}
FINANCIAL = ("There are no financial implications.",)
OTHER = ("None.",)
CONCLUSION = (
    "The Chief Constable's Delivery Plan makes a commitment to keeping people safe and protecting people from serious harm, so protecting children and young people are among our highest priorities. This inspection reflects how well we do this. It is a difficult and complex area to do consistently well, and we strive to innovate and improve; we recognise there is always scope to improve. We have worked hard on the ten recommendations and made significant progress to a standard that was commendable in the original inspection. This focus and effort will continue.",
)
