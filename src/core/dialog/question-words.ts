import { A_NOT_A } from '../policy/question-kind';

/**
 * Words that make a message a question (standard Chinese, Yunnan speech, English); A不A (管不管, 支不支持) too, and a
 * request to explain a part of the plan ("请介绍创业培训方面的主要措施", "explain the apprenticeship rules").
 */
const QUESTION =
  /[?？吗呢嘛]|[不没][?？。.!！]?$|有.{0,12}[没莫]得[?？。.!！哦嘛]?$|几[个次天年月岁块种科门节周期号点]|多少|好多|怎么|咋|啷个|什么|啥|哪(?!怕)|找谁|问谁|谁管|谁负责|能不能|可不可以|可以不|有没有|有没得|有莫得|是否|得不得|要不要|(请|麻烦)?(介绍|说明|解释|讲讲|说说|讲一下|说一下)(一下)?.{0,30}(规定|措施|政策|内容|要求|做法|安排)|\b(how|what|which|where|when|why|can|is|are|do|does|explain|describe|tell me about)\b/i;

/** Whether a message asks something rather than tells something. */
export function looksLikeQuestion(text: string): boolean {
  return QUESTION.test(text) || A_NOT_A.test(text);
}
