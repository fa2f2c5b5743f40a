import type { SurveyVersion } from '../../api/types';
import { kindLabel } from '../../lib/surveys';
import { useCopy } from '../../lib/toast';

/** The questionnaire a FHIR QuestionnaireResponse names to answer this survey version. */
export const surveyCanonical = (s: Pick<SurveyVersion, 'id' | 'version'>) => `urn:caredesk:survey:${s.id}|${s.version}`;

/** How the answer value of an item is sent in a QuestionnaireResponse. */
function valueHint(kind: SurveyVersion['items'][number]['kind']): string {
  if (kind === 'free_text') return 'valueString';
  if (kind === 'yes_no') return 'valueBoolean, or valueInteger 0/1';
  return 'valueInteger, or valueCoding with the value as code';
}

/**
 * The Import tab's second way in: systems that collect answers themselves (a kiosk, a patient app, a vendor's
 * platform) send each response as a FHIR QuestionnaireResponse naming this survey version, with the question ids
 * as linkIds. Such responses count as the survey page's do.
 */
export function FhirAnswersCard({ survey }: { survey: SurveyVersion }) {
  const copyText = useCopy();
  const canonical = surveyCanonical(survey);
  const endpoint = `${window.location.origin}/fhir/R4/QuestionnaireResponse`;
  const copy = () => copyText(canonical, 'questionnaire');
  return (
    <section className="card" aria-labelledby="fhir-answers">
      <h2 id="fhir-answers">Answers from other systems (FHIR)</h2>
      <p>
        A kiosk, a patient app or a survey vendor’s platform can send each response as it is given: a FHIR
        QuestionnaireResponse, <code className="mono">POST {endpoint}</code> with{' '}
        <code className="mono">"questionnaire": "{canonical}"</code>, status <code>completed</code>, the visit as{' '}
        <code>encounter</code> (or the patient as <code>subject</code>) and one item per answer. Such responses count in the
        scores and their comments are read like the survey page’s; every response, however it came, can be read back at the
        same address.
      </p>
      <p>
        <button type="button" className="btn btn-small" onClick={copy}>
          Copy the questionnaire
        </button>
      </p>
      <table className="table">
        <caption className="sr-only">The linkId and value of each question</caption>
        <thead>
          <tr>
            <th scope="col">linkId</th>
            <th scope="col">Question</th>
            <th scope="col">Answer as</th>
          </tr>
        </thead>
        <tbody>
          {survey.items.map((item) => (
            <tr key={item.id}>
              <td className="mono">{item.id}</td>
              <td>
                {item.text} <span className="muted">({kindLabel(item.kind)})</span>
              </td>
              <td className="mono">{valueHint(item.kind)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
